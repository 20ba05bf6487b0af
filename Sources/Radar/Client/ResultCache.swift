/// Recent successful results by canonical request key: a TTL cache bounded in entries and in
/// bytes, evicting the least recently used entry first.
///
/// Entries live in a slot array threaded by a doubly linked recency list (most recent at `head`),
/// so lookups, stores and evictions are O(1). Errors are never stored.
struct ResultCache {
  let ttl: Duration
  let maxEntries: Int
  let maxBytes: Int

  /// A key with its hash taken beforehand (``RadarRequest/keyHash``): a lookup hashes one `Int`,
  /// and compares the text only on a match.
  private struct Key: Hashable {
    let text: String
    let hash: Int

    static func == (lhs: Key, rhs: Key) -> Bool { lhs.hash == rhs.hash && lhs.text == rhs.text }
    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
  }

  private struct Entry {
    var key: Key
    var result: RadarResult
    var expires: Duration
    var bytes: Int
    var newer: Int?
    var older: Int?
  }

  private var slots: [Entry?] = []
  private var free: [Int] = []
  private var index: [Key: Int] = [:]
  private var head: Int?
  private var tail: Int?
  private(set) var bytes = 0

  init(ttl: Duration, maxEntries: Int, maxBytes: Int) {
    self.ttl = ttl
    self.maxEntries = max(0, maxEntries)
    self.maxBytes = max(0, maxBytes)
  }

  /// False when the TTL or a bound is zero: nothing is ever stored.
  var isEnabled: Bool { ttl > .zero && maxEntries > 0 && maxBytes > 0 }

  var count: Int { index.count }

  /// The fresh result for `key`, marked as most recently used; an expired one is dropped.
  /// `hash` is `key.hashValue` when the caller has it already.
  mutating func value(for key: String, hash: Int? = nil, now: Duration) -> RadarResult? {
    guard let slot = index[Key(text: key, hash: hash ?? key.hashValue)], let entry = slots[slot] else { return nil }
    guard now < entry.expires else {
      remove(slot)
      return nil
    }
    moveToFront(slot)
    return entry.result
  }

  /// Stores `result` (replacing an older one), then evicts least recently used entries until
  /// both bounds hold. A result larger than the whole byte budget is not stored.
  mutating func store(_ result: RadarResult, for key: String, hash: Int? = nil, now: Duration) {
    guard isEnabled else { return }
    let key = Key(text: key, hash: hash ?? key.hashValue)
    if let slot = index[key] { remove(slot) }
    let size = result.byteCount + key.text.utf8.count
    guard size <= maxBytes else { return }
    while let last = tail, index.count >= maxEntries || bytes + size > maxBytes { remove(last) }
    let entry = Entry(key: key, result: result, expires: now + ttl, bytes: size, newer: nil, older: nil)
    let slot: Int
    if let reused = free.popLast() {
      slot = reused
      slots[slot] = entry
    } else {
      slot = slots.count
      slots.append(entry)
    }
    index[key] = slot
    bytes += size
    linkAtFront(slot)
  }

  private mutating func remove(_ slot: Int) {
    guard let entry = slots[slot] else { return }
    unlink(slot)
    index[entry.key] = nil
    bytes -= entry.bytes
    slots[slot] = nil
    free.append(slot)
  }

  private mutating func moveToFront(_ slot: Int) {
    guard head != slot else { return }
    unlink(slot)
    linkAtFront(slot)
  }

  private mutating func linkAtFront(_ slot: Int) {
    slots[slot]!.newer = nil
    slots[slot]!.older = head
    if let head { slots[head]!.newer = slot }
    head = slot
    if tail == nil { tail = slot }
  }

  private mutating func unlink(_ slot: Int) {
    let newer = slots[slot]!.newer
    let older = slots[slot]!.older
    if let newer { slots[newer]!.older = older } else { head = older }
    if let older { slots[older]!.newer = newer } else { tail = newer }
    slots[slot]!.newer = nil
    slots[slot]!.older = nil
  }
}
