/// The client's view of an injected `Clock`: instants as `Duration`s since the client started,
/// and sleeping until one of them.
///
/// Keeping the helpers on plain `Duration`s lets tests drive them with a virtual clock (or no
/// clock at all), while production uses `ContinuousClock`.
struct Timeline: Sendable {
  private let nowClosure: @Sendable () -> Duration
  private let sleepClosure: @Sendable (Duration) async throws -> Void

  init<C: Clock<Duration>>(_ clock: C) {
    let origin = clock.now
    nowClosure = { origin.duration(to: clock.now) }
    sleepClosure = { deadline in try await clock.sleep(until: origin.advanced(by: deadline), tolerance: nil) }
  }

  /// Time since the client started.
  func now() -> Duration { nowClosure() }

  /// Sleeps until `deadline` (an instant from ``now()``); throws `CancellationError` when cancelled.
  func sleep(until deadline: Duration) async throws { try await sleepClosure(deadline) }
}
