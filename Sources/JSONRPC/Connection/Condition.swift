import Foundation

/// A mutex with a condition variable, owning the state it guards.
///
/// The connection's reader and writer are plain threads that must block (on a full queue,
/// on an empty output buffer) without occupying Swift's cooperative thread pool, which is
/// what a condition variable is for. `NSCondition` is thread-safe by design; the state is
/// only ever touched with the lock held, which is what makes the `@unchecked Sendable` sound.
final class Condition<State>: @unchecked Sendable {
  private let condition = NSCondition()
  private var state: State

  init(_ state: State) { self.state = state }

  /// Runs `body` with the lock held.
  func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
    condition.lock()
    defer { condition.unlock() }
    return try body(&state)
  }

  /// Waits (lock released while waiting) until `predicate` holds or `deadline` passes, then runs
  /// `body` with the lock held. Returns `nil` on timeout.
  func wait<R>(until predicate: (State) -> Bool, deadline: Date? = nil, _ body: (inout State) throws -> R) rethrows
    -> R?
  {
    condition.lock()
    defer { condition.unlock() }
    while !predicate(state) {
      if let deadline {
        if !condition.wait(until: deadline) && !predicate(state) { return nil }
      } else {
        condition.wait()
      }
    }
    return try body(&state)
  }

  /// Wakes every waiter (call after changing what their predicates read).
  func broadcast() {
    condition.lock()
    condition.broadcast()
    condition.unlock()
  }

  /// Changes the state and wakes every waiter, in one critical section.
  func mutateAndBroadcast<R>(_ body: (inout State) throws -> R) rethrows -> R {
    condition.lock()
    defer {
      condition.broadcast()
      condition.unlock()
    }
    return try body(&state)
  }
}
