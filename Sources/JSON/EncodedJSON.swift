/// One JSON value already written as compact UTF-8 JSON, kept as bytes so that it can be written
/// again any number of times at the cost of a copy: ``JSONWriter`` splices it verbatim.
///
/// This is how a result is serialised once and sent many times — to every cache hit, every
/// coalesced caller, every subscriber — each time inside a new envelope with its own id or token
/// (contract §6). The bytes are always what ``JSONWriter`` wrote (compact, no raw newline, valid
/// JSON), so splicing them keeps every frame valid in both framings.
///
/// Values are slices of a shared buffer: ``members()`` hands out an object's member values
/// without copying them. Equality is JSON equality (the bytes first, the decoded values when the
/// bytes differ), consistent with ``JSONValue``'s.
public struct EncodedJSON: Sendable, Hashable {
  private let buffer: [UInt8]
  /// The slice `buffer[start..<end]`; 32-bit offsets keep ``JSONValue`` as small as before.
  private let start: UInt32
  private let end: UInt32

  /// Writes `value` once (an ``JSONValue/encoded(_:)`` inside it is spliced as it is).
  public init(_ value: JSONValue) {
    self.init(compact: JSONWriter.bytes(value))
  }

  /// Bytes ``JSONWriter`` wrote for one value.
  init(compact bytes: [UInt8]) {
    precondition(bytes.count <= UInt32.max, "an encoded JSON value is limited to 4 GiB")
    buffer = bytes
    start = 0
    end = UInt32(bytes.count)
  }

  /// `buffer[range]`: bytes that ``JSONWriter`` wrote for one value earlier and that were kept
  /// where the caller checked their integrity (the shared cache keeps results on disk behind a
  /// SHA-256 of them). They are not parsed again, which is the point: bytes that are not what
  /// JSONWriter writes would make invalid frames. The buffer is shared, not copied.
  public init(previouslyWritten buffer: [UInt8], range: Range<Int>) {
    precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count && range.upperBound <= UInt32.max)
    self.init(buffer: buffer, range: range)
  }

  private init(buffer: [UInt8], range: Range<Int>) {
    self.buffer = buffer
    start = UInt32(range.lowerBound)
    end = UInt32(range.upperBound)
  }

  /// The number of bytes.
  public var count: Int { Int(end - start) }

  /// Calls `body` with the bytes (valid only inside `body`).
  public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try buffer.withUnsafeBufferPointer { all in
      try body(UnsafeBufferPointer(rebasing: all[Int(start)..<Int(end)]))
    }
  }

  /// The bytes as an array (a copy).
  public var bytes: [UInt8] { Array(buffer[Int(start)..<Int(end)]) }

  /// The value, parsed back: for tests and rare paths, never for writing.
  public var decoded: JSONValue {
    do {
      return try withBytes { try JSONParser.parse(UnsafeRawBufferPointer($0)) }
    } catch {
      preconditionFailure("EncodedJSON holds what JSONWriter wrote, which always parses: \(error)")
    }
  }

  /// The first byte: `{`, `[`, `"`, a digit or `-`, `t`, `f` or `n`.
  var leadingByte: UInt8 { buffer[Int(start)] }

  /// For an encoded object, its members in order, each value a slice of these bytes (no copy);
  /// `nil` for any other value. Keys are decoded (escapes resolved).
  public func members() -> [(key: String, value: EncodedJSON)]? {
    guard leadingByte == UInt8(ascii: "{") else { return nil }
    let ranges: [(key: Range<Int>, value: Range<Int>)] = buffer.withUnsafeBufferPointer { all in
      var scanner = CompactScanner(bytes: all, index: Int(start) + 1)
      var found: [(key: Range<Int>, value: Range<Int>)] = []
      while scanner.index < Int(end) - 1 {
        if all[scanner.index] == UInt8(ascii: ",") { scanner.index += 1 }
        let keyStart = scanner.index
        scanner.skipString()
        let key = keyStart..<scanner.index
        scanner.index += 1  // ':'
        let valueStart = scanner.index
        scanner.skipValue()
        found.append((key, valueStart..<scanner.index))
      }
      return found
    }
    return ranges.map { ranges in
      let key = EncodedJSON(buffer: buffer, range: ranges.key).decoded.stringValue ?? ""
      return (key, EncodedJSON(buffer: buffer, range: ranges.value))
    }
  }

  /// Same bytes, or the same JSON value written differently (members in another order).
  public static func == (lhs: EncodedJSON, rhs: EncodedJSON) -> Bool {
    let sameBytes = lhs.withBytes { a in rhs.withBytes { b in a.elementsEqual(b) } }
    return sameBytes || lhs.decoded == rhs.decoded
  }

  /// Hashes the decoded value, so it agrees with ``JSONValue``'s hash of the same value.
  public func hash(into hasher: inout Hasher) { decoded.hash(into: &hasher) }
}

/// Skips over values in bytes that ``JSONWriter`` wrote (compact, valid): no validation, no values built.
private struct CompactScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var index: Int

  /// From an opening quote to just past the closing one.
  mutating func skipString() {
    index += 1
    while true {
      let b = bytes[index]
      index += 1
      if b == UInt8(ascii: "\"") { return }
      if b == UInt8(ascii: "\\") { index += 1 }
    }
  }

  mutating func skipValue() {
    switch bytes[index] {
    case UInt8(ascii: "\""):
      skipString()
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      repeat {
        switch bytes[index] {
        case UInt8(ascii: "\""):
          skipString()
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
        default: break
        }
        index += 1
      } while depth > 0
    default:  // a number or a literal: up to the next delimiter
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): return
        default: index += 1
        }
      }
    }
  }
}
