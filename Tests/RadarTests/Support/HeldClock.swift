import SystemSupport
import TestSupport

/// A clock that never moves: every sleep lasts until its task is cancelled. It counts the sleeps
/// that began and those that cancellation ended, so a test can act while something is asleep
/// (a backoff, a poll interval) and then see that cancelling really ended the sleep, with no
/// wall-clock time in the test at all.
final class HeldClock: Clock, Sendable {
  typealias Instant = TestClock.Instant

  private struct State {
    var started = 0
    var cancelled = 0
    var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    var nextID: UInt64 = 0
  }
  private let state = Locked(State())

  var now: Instant { Instant(offset: .zero) }
  var minimumResolution: Duration { .zero }

  func sleep(until deadline: Instant, tolerance: Duration?) async throws {
    let id = state.withLock { state in
      state.started += 1
      state.nextID += 1
      return state.nextID
    }
    do {
      try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
          let cancelled = state.withLock { state in
            guard !Task.isCancelled else { return true }
            state.waiters[id] = continuation
            return false
          }
          if cancelled { continuation.resume(throwing: CancellationError()) }
        }
      } onCancel: {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
      }
    } catch {
      state.withLock { $0.cancelled += 1 }
      throw error
    }
  }

  /// Sleeps that began.
  var started: Int { state.withLock { $0.started } }
  /// Sleeps that cancellation ended (the only way they end).
  var cancelled: Int { state.withLock { $0.cancelled } }
}
