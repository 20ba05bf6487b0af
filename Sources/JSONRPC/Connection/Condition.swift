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
/// what makes the `@unchecked Sendable` sound. Deadlines use the monotonic clock, so a change
/// of the wall clock cannot stretch or cut a wait.
final class Condition<State>: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var state: State

  init(_ state: State) {
    self.state = state
    pthread_mutex_init(mutex, nil)
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
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  /// Runs `body` with the lock held.
  func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&state)
  }

  /// Waits (lock released while waiting) until `predicate` holds or `deadline` passes, then runs
  /// `body` with the lock held. Returns `nil` on timeout.
  func wait<R>(
    until predicate: (State) -> Bool, deadline: MonotonicTime? = nil, _ body: (inout State) throws -> R
  ) rethrows -> R? {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while !predicate(state) {
      if let deadline {
        guard MonotonicTime.now() < deadline else { return nil }
        var limit = deadline.cTimespec
        _ = pthread_cond_timedwait(condition, mutex, &limit)
      } else {
        pthread_cond_wait(condition, mutex)
      }
    }
    return try body(&state)
  }

  /// Wakes every waiter (call after changing what their predicates read).
  func broadcast() {
    pthread_mutex_lock(mutex)
    pthread_cond_broadcast(condition)
    pthread_mutex_unlock(mutex)
  }

  /// Changes the state and wakes every waiter, in one critical section.
  func mutateAndBroadcast<R>(_ body: (inout State) throws -> R) rethrows -> R {
    pthread_mutex_lock(mutex)
    defer {
      pthread_cond_broadcast(condition)
      pthread_mutex_unlock(mutex)
    }
    return try body(&state)
  }
}

/// A point on the monotonic clock, in nanoseconds (what `pthread_cond_timedwait` waits on).
struct MonotonicTime: Comparable, Sendable {
  let nanoseconds: UInt64

  static func now() -> MonotonicTime {
    var ts = timespec()
    #if os(Linux)
      clock_gettime(CLOCK_MONOTONIC, &ts)
    #else
      clock_gettime(CLOCK_REALTIME, &ts)  // Darwin's condition variables wait on the wall clock
    #endif
    return MonotonicTime(nanoseconds: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
  }

  /// `seconds` from now.
  static func after(seconds: Double) -> MonotonicTime {
    MonotonicTime(nanoseconds: now().nanoseconds + UInt64(max(0, seconds) * 1e9))
  }

  var cTimespec: timespec {
    timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
  }

  static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}

/// Starts `body` on a new detached thread (for the reader and the writer, which block in
/// `read`/`write` and so must not run on Swift's cooperative pool).
func startThread(stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) {
  final class Box: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  var attributes = pthread_attr_t()
  pthread_attr_init(&attributes)
  pthread_attr_setstacksize(&attributes, stackSize)
  pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
  let box = Unmanaged.passRetained(Box(body)).toOpaque()
  #if os(Linux)
    var thread = pthread_t()
  #else
    var thread: pthread_t? = nil
  #endif
  let result = pthread_create(
    &thread, &attributes,
    { raw in
      let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
      box.body()
      return nil
    }, box)
  pthread_attr_destroy(&attributes)
  precondition(result == 0, "pthread_create failed: \(result)")
}
