import Testing

@testable import Radar

/// The shared window's arithmetic: the same sliding window as the in-process limiter, a hold for
/// `Retry-After`, a clock set back, and the file format.
@Suite struct RateBudgetStateTests {
  private let limit = RateLimit(requests: 3, per: .seconds(10))

  @Test func theWindowAdmitsNAndThenSpacesTheRest() {
    var state = RateBudgetState()
    #expect(state.reserve(limit, now: 1_000) == 1_000)
    #expect(state.reserve(limit, now: 2_000) == 2_000)
    #expect(state.reserve(limit, now: 3_000) == 3_000)
    #expect(state.reserve(limit, now: 3_000) == 11_000)
    #expect(state.reserve(limit, now: 3_000) == 12_000)
    #expect(state.reserve(limit, now: 30_000) == 30_000)
    #expect(state.starts.count == 3)
  }

  @Test func aHoldDelaysEveryOtherProcesssSlotsUntilItEnds() {
    var state = RateBudgetState()
    state.hold(until: 50_000, by: 1)
    state.hold(until: 20_000, by: 2)  // an earlier hold does not shorten a later one
    #expect(state.holder == 1)
    #expect(state.reserve(limit, now: 1_000, process: 2) == 50_000)
    #expect(state.heldUntil(2, now: 1_000) == 50_000)
    // The process that got the 429 is not held by its own hold: its retry policy waits instead.
    #expect(state.heldUntil(1, now: 1_000) == 1_000)
    // Nor by another's slot after the hold: its own window has room now.
    #expect(state.reserve(limit, now: 1_000, process: 1) == 1_000)
    #expect(state.starts == [1_000, 50_000])
    state.hold(until: 60_000, by: 2)  // a later hold by another process: now it holds the first
    #expect(state.heldUntil(1, now: 1_000) == 60_000)
  }

  /// Finding 1 of the issue-19 adversarial test: a process with a strict limit (1 per 30 s)
  /// reserved a slot 30 s ahead; a process with Cloudflare's limit still starts at once. Each
  /// process counts everyone's starts against its own window; another's spacing is not inherited.
  @Test func aStricterLimitElsewhereSpacesOutOnlyItsOwnProcess() {
    var state = RateBudgetState()
    let strict = RateLimit(requests: 1, per: .seconds(30))
    #expect(state.reserve(strict, now: 0, process: 1) == 0)
    #expect(state.reserve(strict, now: 0, process: 1) == 30_000)
    #expect(state.reserve(.cloudflare, now: 1_000, process: 2) == 1_000)
    #expect(state.starts == [1_000, 30_000])  // the strict process kept one start
    // The strict process counts the other's start too: its next slot is a window after the last.
    #expect(state.reserve(strict, now: 1_000, process: 1) == 60_000)
    // A limit with room in its own window starts at once; once full, it waits for its own window.
    #expect(state.reserve(limit, now: 2_000, process: 2) == 2_000)
    #expect(state.reserve(limit, now: 2_000, process: 2) == 2_000)
    #expect(state.reserve(limit, now: 2_000, process: 2) == 11_000)
  }

  /// A start further ahead than one window of the reader's limit (a hand-written file, a writer's
  /// clock running ahead: adversary finding 1, a file with starts 10 h ahead) counts as one made
  /// now, so it holds a call back for one window at most.
  @Test func startsFurtherAheadThanOneWindowAreClamped() {
    var state = RateBudgetState()
    state.starts = [500, 36_000_000, 36_000_001]
    var queued = state
    state.clamp(now: 1_000, window: 10_000, horizon: 0)
    #expect(state.starts == [500, 1_000, 1_000])  // as if made now
    #expect(state.reserve(limit, now: 1_000) == 10_500)  // at most one window away
    // Starts as far ahead as calls may wait (a queue longer than a window) are believed.
    queued.clamp(now: 1_000, window: 10_000, horizon: 36_000_001)
    #expect(queued.starts == [500, 36_000_000, 36_000_001])
  }

  /// Finding 2 of the issue-19 adversarial test: a hold in the year 2100 (a hand-written file) held
  /// every process back for good; it is capped at one window from now, as writers cap theirs.
  @Test func aHoldFurtherAheadThanOneWindowIsClamped() {
    var state = RateBudgetState()
    state.hold(until: 4_102_444_800_000, by: 1)
    state.clamp(now: 1_000, window: 10_000, horizon: 60_000)
    #expect(state.heldUntil(2, now: 1_000) == 11_000)
    #expect(state.reserve(limit, now: 1_000, process: 2) == 11_000)
    state.clamp(now: 1_000, window: 10_000, horizon: 60_000)
    #expect(state.notBefore == 11_000)  // a hold within the window stays
  }

  @Test func processesWithDifferentLimitsKeepTheLargestHistory() {
    var state = RateBudgetState()
    for _ in 0..<5 { _ = state.reserve(RateLimit(requests: 5, per: .seconds(10)), now: 0) }
    _ = state.reserve(limit, now: 0)
    #expect(state.keep == 5)
    #expect(state.starts.count == 5)
  }

  @Test func aClockSetBackMovesStoredTimesBackToo() {
    var state = RateBudgetState()
    _ = state.reserve(limit, now: 100_000)
    state.hold(until: 130_000)
    state.writtenAt = 100_000
    state.rebase(now: 40_000)  // the clock went back a minute
    #expect(state.starts == [40_000])
    #expect(state.notBefore == 70_000)
    var small = RateBudgetState()
    _ = small.reserve(limit, now: 100_000)
    small.writtenAt = 100_000
    small.rebase(now: 99_500)  // another process read the clock a moment earlier: no change
    #expect(small.starts == [100_000])
  }

  @Test func theFileFormatRoundTripsAndRejectsDamage() {
    var state = RateBudgetState()
    for t in [5, 6, 7] as [Int64] { _ = state.reserve(limit, now: t) }
    state.hold(until: 99, by: 0xDEAD_BEEF_0BAD_F00D)
    state.writtenAt = 7
    let bytes = state.encoded
    #expect(RateBudgetState(encoded: bytes) == state)
    #expect(RateBudgetState(encoded: Array(bytes.dropLast())) == nil)
    #expect(RateBudgetState(encoded: [UInt8](repeating: 0, count: 64)) == nil)
    var unsorted = bytes
    unsorted[bytes.count - 8] = 0  // the last start becomes 0, before the others
    #expect(RateBudgetState(encoded: unsorted) == nil)
  }

  /// A file holding times no clock gives (written by something else, or damaged) is refused rather
  /// than trapping when the times meet a clock reading (contract §7).
  @Test func timesNoClockGivesAreRefused() {
    var state = RateBudgetState()
    for t in [5, 6, 7] as [Int64] { _ = state.reserve(limit, now: t) }
    state.writtenAt = 7
    for odd: Int64 in [.min, .max, -(1 << 53) - 1, (1 << 53) + 1] {
      var damaged = state
      damaged.writtenAt = odd
      #expect(RateBudgetState(encoded: damaged.encoded) == nil, "writtenAt \(odd)")
      damaged = state
      damaged.notBefore = odd
      #expect(RateBudgetState(encoded: damaged.encoded) == nil, "notBefore \(odd)")
      damaged = state
      damaged.starts = [odd]
      #expect(RateBudgetState(encoded: damaged.encoded) == nil, "a start at \(odd)")
    }
    // At the edges of what is kept, the arithmetic a process does with the state holds.
    var edge = state
    edge.writtenAt = 1 << 53
    edge.starts = [-(1 << 53), 1 << 53]
    var read = RateBudgetState(encoded: edge.encoded)
    #expect(read != nil)
    read?.rebase(now: 1_780_000_000_000)
    _ = read?.reserve(RateLimit(requests: 1, per: .seconds(86_400 * 365)), now: 1_780_000_000_000)
  }
}
