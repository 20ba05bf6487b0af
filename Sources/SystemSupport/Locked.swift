/// A value behind a pthread mutex (``PthreadMutex``): the lock every thread of radar-rpc shares
/// state with. ThreadSanitizer sees it (see ``PthreadMutex`` for why that rules out
/// `Synchronization.Mutex`).
public final class Locked<Value>: @unchecked Sendable {
  @usableFromInline let mutex = PthreadMutex()
  private var value: Value

  public init(_ value: Value) { self.value = value }

  /// Runs `body` with exclusive access to the value. `body` must not call back into this lock.
  @inlinable
  public func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
    mutex.lock()
    defer { mutex.unlock() }
    return try body(&storage)
  }

  @usableFromInline var storage: Value {
    _read { yield value }
    _modify { yield &value }
  }
}
