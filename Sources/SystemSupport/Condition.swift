#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A mutex with a condition variable, owning the state it guards.
///
/// The connection's reader and writer are plain threads that must block (on a full queue,
/// on an empty output buffer) without occupying Swift's cooperative thread pool, which is
/// what a condition variable is for. The state is only touched with the mutex held, which is
/// what makes the `@unchecked Sendable` sound. Deadlines are ``Deadline``s, on the clock the
/// condition variable waits on (monotonic on Linux).
public final class Condition<State>: @unchecked Sendable {
  private let mutex = PthreadMutex()
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var state: State

  public init(_ state: State) {
    self.state = state
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    #if os(Linux)
      pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    #endif
    pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
  }

  deinit {
    pthread_cond_destroy(condition)
    condition.deallocate()
  }

  /// Runs `body` with the lock held.
  public func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
    mutex.lock()
    defer { mutex.unlock() }
    return try body(&state)
  }

  /// Waits (lock released while waiting) until `predicate` holds or `deadline` passes, then runs
  /// `body` with the lock held. Returns `nil` on timeout.
  public func wait<R>(
    until predicate: (State) -> Bool, deadline: Deadline? = nil, _ body: (inout State) throws -> R
  ) rethrows -> R? {
    mutex.lock()
    defer { mutex.unlock() }
    while !predicate(state) {
      if let deadline {
        guard !deadline.hasPassed else { return nil }
        var limit = deadline.cTimespec
        _ = pthread_cond_timedwait(condition, mutex.pointer, &limit)
      } else {
        pthread_cond_wait(condition, mutex.pointer)
      }
    }
    return try body(&state)
  }

  /// Wakes every waiter (call after changing what their predicates read).
  public func broadcast() {
    mutex.lock()
    pthread_cond_broadcast(condition)
    mutex.unlock()
  }

  /// Changes the state and, when `body` says so, wakes every waiter, in one critical section.
  public func mutate<R>(_ body: (inout State) throws -> (R, broadcast: Bool)) rethrows -> R {
    mutex.lock()
    defer { mutex.unlock() }
    let (result, wake) = try body(&state)
    if wake { pthread_cond_broadcast(condition) }
    return result
  }

  /// Changes the state and wakes every waiter, in one critical section.
  public func mutateAndBroadcast<R>(_ body: (inout State) throws -> R) rethrows -> R {
    mutex.lock()
    defer {
      pthread_cond_broadcast(condition)
      mutex.unlock()
    }
    return try body(&state)
  }
}
