/// The state of one shared rate budget: the start times of the most recent upstream attempts of
/// every process that shares it, and the time before which the others may not start one (a
/// `Retry-After` Cloudflare sent one of them; the process that got it goes on as it would alone,
/// its retry policy honouring the `Retry-After`). Times are wall-clock milliseconds (``SystemSupport/WallClock``),
/// the clock all processes share.
///
/// The window is counted the way ``RateLimiter`` counts it in one process: an attempt may start
/// when fewer than `limit.requests` attempts started in the `limit.per` before it, each process
/// counting with its own `--rate-limit`. The list is kept sorted (a slot is inserted in order), so
/// the check is one look at the `requests`-th most recent start.
struct RateBudgetState: Sendable, Hashable {
  /// No attempt of a process other than ``holder`` may start before this (0: no hold).
  var notBefore: Int64 = 0
  /// The process whose 429 set ``notBefore`` (a random number each process draws; 0: none).
  var holder: UInt64 = 0
  /// Reserved start times, oldest first (some may lie ahead: callers waiting for their slot).
  var starts: [Int64] = []
  /// How many starts to remember: the largest `limit.requests` of any process that wrote.
  var keep = 0
  /// When the state was last written; a clock that went back past it moves every time back too.
  var writtenAt: Int64 = 0

  /// Until when `process` is held back by another process's `Retry-After` (at most `now`: not held).
  func heldUntil(_ process: UInt64, now: Int64) -> Int64 {
    holder == process ? now : max(now, notBefore)
  }

  /// Reserves for `process` the first slot at or after `now` that keeps the window of `limit` and
  /// another process's hold; returns it.
  mutating func reserve(_ limit: RateLimit, now: Int64, process: UInt64 = 0) -> Int64 {
    let slot = firstSlot(limit, now: now, process: process)
    take(slot, keeping: limit.requests)
    return slot
  }

  /// The first time at or after `now` when `process` may start an attempt under its own `limit`
  /// and no other process's hold is in force. Each process keeps its own limit over the shared
  /// record of starts (reserved ones ahead included): fewer than `limit.requests` of them lie within
  /// one window either side of the slot, so every window that holds it keeps the limit. Another
  /// process's stricter limit spaces out that process only.
  func firstSlot(_ limit: RateLimit, now: Int64, process: UInt64) -> Int64 {
    let per = limit.windowMilliseconds
    let earliest = heldUntil(process, now: now)
    // The count only drops where a start leaves the window behind: try those times in order.
    // Past the last start plus a window, no start is near: the loop always returns.
    for slot in [earliest] + starts.lazy.map({ $0 + per }).filter({ $0 > earliest }) {
      if startCount(after: slot - per, before: slot + per) < limit.requests { return slot }
    }
    return max(earliest, (starts.last ?? earliest) + per)
  }

  /// How many starts lie strictly between `low` and `high`.
  private func startCount(after low: Int64, before high: Int64) -> Int {
    firstIndex { $0 >= high } - firstIndex { $0 > low }
  }

  /// The first index of `starts` (sorted) whose start meets `test` (true from some index on).
  private func firstIndex(_ test: (Int64) -> Bool) -> Int {
    var (low, high) = (0, starts.count)
    while low < high {
      let middle = (low + high) / 2
      if test(starts[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }

  /// Records a start at `slot` (in order among the others), remembering at least `requests` starts.
  mutating func take(_ slot: Int64, keeping requests: Int) {
    starts.insert(slot, at: firstIndex { $0 > slot })
    keep = max(keep, requests)
    if starts.count > keep { starts.removeFirst(starts.count - keep) }
  }

  /// Holds every process but `process` back until `until` (a later hold wins, and its process
  /// becomes the holder).
  mutating func hold(until: Int64, by process: UInt64 = 0) {
    guard until > notBefore else { return }
    notBefore = until
    holder = process
  }

  /// Called with the time read under the budget's lock, before anything else: when the wall
  /// clock went back (more than a second) since the last write, every stored time moves back
  /// by as much, so a clock set back does not stall every process by the same amount.
  mutating func rebase(now: Int64) {
    let back = writtenAt - now
    guard back > 1_000 else { return }
    for i in starts.indices { starts[i] -= back }
    if notBefore > 0 { notBefore -= back }
    writtenAt = now
  }

  /// Called after ``rebase(now:)``. A hold further ahead than `window` (one window of this
  /// process's rate limit; writers cap holds the same way) ends one window from now. A start further
  /// ahead than `horizon` (at least a window: as far ahead as a process reserves, its retry budget)
  /// comes from no process keeping its limit (a hand-written file, or a writer whose clock ran
  /// ahead) and counts as one made now. So no such file stalls anyone for more than a window.
  mutating func clamp(now: Int64, window: Int64, horizon: Int64) {
    let latest = now + max(window, horizon)
    if let last = starts.last, last > latest {
      starts = (starts.map { $0 > latest ? now : $0 }).sorted()
    }
    notBefore = min(notBefore, now + window)
  }

  // MARK: - File format

  private static let magic = Array("rrbudget".utf8)
  private static let version: UInt32 = 2
  private static let headerSize = 48

  /// `magic`, version, count (u32), keep (u32), reserved (u32), notBefore, writtenAt (i64), holder
  /// (u64), then `count` start times (i64), all little-endian.
  var encoded: [UInt8] {
    var bytes = Self.magic
    bytes.reserveCapacity(Self.headerSize + starts.count * 8)
    func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    append(Self.version)
    append(UInt32(starts.count))
    append(UInt32(keep))
    append(UInt32(0))
    append(notBefore)
    append(writtenAt)
    append(holder)
    for start in starts { append(start) }
    return bytes
  }

  /// The state a file holds; `nil` for a file that is not one (it then counts as empty).
  init?(encoded bytes: [UInt8]) {
    guard bytes.count >= Self.headerSize, bytes.prefix(8).elementsEqual(Self.magic) else { return nil }
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
      bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
    let count = Int(load(UInt32.self, at: 12))
    guard load(UInt32.self, at: 8) == Self.version, bytes.count == Self.headerSize + count * 8 else { return nil }
    keep = Int(load(UInt32.self, at: 16))
    notBefore = load(Int64.self, at: 24)
    writtenAt = load(Int64.self, at: 32)
    holder = load(UInt64.self, at: 40)
    starts = (0..<count).map { load(Int64.self, at: Self.headerSize + $0 * 8) }
    guard zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else { return nil }
    // The file is outside input (contract §7): times no clock gives would overflow the arithmetic
    // on them (`writtenAt - now`, `start + per`), so such a file is not a state either.
    guard ([notBefore, writtenAt] + starts).allSatisfy({ Self.possibleTimes.contains($0) }) else { return nil }
  }

  /// Milliseconds since 1970 a stored time may hold: ±2⁵³ (±285,000 years), far inside what `Int64`
  /// arithmetic with a clock reading and a window of at most a year can reach.
  static let possibleTimes: ClosedRange<Int64> = -(1 << 53)...(1 << 53)

  init() {}
}

extension RateLimit {
  /// The window in whole milliseconds (rounded up), as the budget's times count it.
  var windowMilliseconds: Int64 { Int64((per / .milliseconds(1)).rounded(.up)) }
}
