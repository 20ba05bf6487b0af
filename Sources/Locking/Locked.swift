#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a `pthread_mutex_t`: the lock every thread of radar-rpc shares state with.
///
/// Why not `Synchronization.Mutex`: on Linux its contended path hands the lock over through a
/// priority-inheritance futex inside the (uninstrumented) standard library, so ThreadSanitizer
/// cannot see the happens-before edge and reports races that are not there. TSan intercepts
/// pthreads, so with this lock `swift test --sanitize=thread` reports only real races. The
/// uncontended cost is the same (one atomic each way).
public final class Locked<Value>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  public init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with exclusive access to the value. `body` must not call back into this lock.
  @inlinable
  public func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
    lock()
    defer { unlock() }
    return try body(&storage)
  }

  @usableFromInline var storage: Value {
    _read { yield value }
    _modify { yield &value }
  }

  @usableFromInline func lock() { pthread_mutex_lock(mutex) }
  @usableFromInline func unlock() { pthread_mutex_unlock(mutex) }
}
