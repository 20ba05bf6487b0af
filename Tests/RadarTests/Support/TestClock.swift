import SystemSupport

/// A virtual clock: `sleep` returns at once after moving time forward to its deadline, and
/// records how long it was asked to sleep. Time-dependent code runs without real waiting.
final class TestClock: Clock, Sendable {
  struct Instant: InstantProtocol {
    var offset: Duration
    func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
    func duration(to other: Instant) -> Duration { other.offset - offset }
    static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
  }

  private let state = Locked<(now: Duration, sleeps: [Duration])>((.zero, []))

  var now: Instant { Instant(offset: state.withLock { $0.now }) }
  var minimumResolution: Duration { .zero }

  func sleep(until deadline: Instant, tolerance: Duration?) async throws {
    try Task.checkCancellation()
    state.withLock { state in
      state.sleeps.append(max(.zero, deadline.offset - state.now))
      state.now = max(state.now, deadline.offset)
    }
    await Task.yield()
    try Task.checkCancellation()
  }

  /// Moves time forward without sleeping.
  func advance(by duration: Duration) {
    state.withLock { $0.now += duration }
  }

  /// Every sleep asked for so far, in order.
  var sleeps: [Duration] { state.withLock { $0.sleeps } }
}
