/// A growable byte buffer for writers on the hot path: appends are a bounds check and a
/// `memcpy`, without `Array`'s per-call uniqueness and capacity bookkeeping. It owns its
/// memory; call ``finish()`` (or ``append(to:)``) exactly once to take the bytes out.
struct ByteSink: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private(set) var count = 0

  init(capacity: Int = 512) {
    self.capacity = max(16, capacity)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    if count == capacity { grow(to: count + 1) }
    base[count] = byte
    count += 1
  }

  @inline(__always)
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    if count + bytes.count > capacity { grow(to: count + bytes.count) }
    (base + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  /// `"` + `bytes` + `"`, with one capacity check (strings that need no escaping).
  @inline(__always)
  mutating func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>) {
    let needed = count + bytes.count + 2
    if needed > capacity { grow(to: needed) }
    base[count] = UInt8(ascii: "\"")
    if let source = bytes.baseAddress { (base + count + 1).update(from: source, count: bytes.count) }
    base[needed - 1] = UInt8(ascii: "\"")
    count = needed
  }

  /// Makes room for `extra` more bytes and returns where they go: write at most `extra` bytes
  /// there, then ``advance(by:)`` by the number written.
  @inline(__always)
  mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
    if count + extra > capacity { grow(to: count + extra) }
    return base + count
  }

  /// Counts `written` bytes put at ``reserve(_:)``'s address as appended.
  @inline(__always)
  mutating func advance(by written: Int) { count += written }

  @inline(__always)
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    append(bytes.bindMemory(to: UInt8.self))
  }

  @inline(__always)
  mutating func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  private mutating func grow(to needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.initialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// The bytes as an array.
  consuming func finish() -> [UInt8] {
    [UInt8](UnsafeBufferPointer(start: base, count: count))
  }

  /// Appends the bytes to `out`.
  func append(to out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
  }
}
