#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `pthread_mutex_t` at a stable address, destroyed with its owner: the one mutex that
/// ``Locked`` and ``Condition`` are built on.
///
/// Why pthreads and not `Synchronization.Mutex`: on Linux the latter's contended path hands the
/// lock over through a priority-inheritance futex inside the (uninstrumented) standard library,
/// so ThreadSanitizer cannot see the happens-before edge and reports races that are not there.
/// TSan intercepts pthreads, so with this lock `swift test --sanitize=thread` reports only real
/// races. The uncontended cost is the same (one atomic each way).
@usableFromInline
struct PthreadMutex: ~Copyable {
  let pointer: UnsafeMutablePointer<pthread_mutex_t>

  init() {
    pointer = .allocate(capacity: 1)
    pointer.initialize(to: pthread_mutex_t())
    pthread_mutex_init(pointer, nil)
  }

  deinit {
    pthread_mutex_destroy(pointer)
    pointer.deallocate()
  }

  @usableFromInline func lock() { pthread_mutex_lock(pointer) }
  @usableFromInline func unlock() { pthread_mutex_unlock(pointer) }
}
