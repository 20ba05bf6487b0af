import SystemSupport

/// At most `limit` upstream calls on the wire: an async semaphore with a FIFO queue.
///
/// A waiter whose task is cancelled leaves the queue at once with `CancellationError`; a released
/// permit goes straight to the next waiter. Every continuation is resumed exactly once: by
/// ``release()`` or by the cancellation handler, whichever removes it from the queue.
final class ConnectionLimiter: Sendable {
  private struct Waiter {
    let id: UInt64
    let continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    var available: Int
    var waiters: [Waiter] = []
    var head = 0
    var nextID: UInt64 = 0

    var queued: Int { waiters.count - head }

    mutating func popFirst() -> Waiter? {
      guard head < waiters.count else { return nil }
      let waiter = waiters[head]
      head += 1
      if head > 64, head * 2 > waiters.count {
        waiters.removeFirst(head)
        head = 0
      }
      return waiter
    }
  }

  private let state: Locked<State>

  init(limit: Int) {
    state = Locked(State(available: max(1, limit)))
  }

  /// Takes a permit if one is free now.
  func tryAcquire() -> Bool {
    state.withLock { state in
      guard state.available > 0 else { return false }
      state.available -= 1
      return true
    }
  }

  /// Waits for a permit; throws `CancellationError` if the task is cancelled first.
  func acquire() async throws {
    if tryAcquire() { return }
    let id = state.withLock { state in
      state.nextID += 1
      return state.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let outcome: Result<Void, any Error>? = state.withLock { state in
          // Checked under the lock: a cancellation handler that ran before found nothing to remove.
          if Task.isCancelled { return .failure(CancellationError()) }
          if state.available > 0 {
            state.available -= 1
            return .success(())
          }
          state.waiters.append(Waiter(id: id, continuation: continuation))
          return nil
        }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      let waiter = state.withLock { state -> Waiter? in
        guard let index = state.waiters[state.head...].firstIndex(where: { $0.id == id }) else { return nil }
        return state.waiters.remove(at: index)
      }
      waiter?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Returns a permit: to the first waiter if there is one.
  func release() {
    let next = state.withLock { state -> Waiter? in
      if let waiter = state.popFirst() { return waiter }
      state.available += 1
      return nil
    }
    next?.continuation.resume()
  }

  /// Callers waiting for a permit.
  var queued: Int { state.withLock { $0.queued } }
}
