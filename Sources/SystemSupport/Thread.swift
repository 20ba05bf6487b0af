#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Starts `body` on a new detached thread, for work that blocks in `read`, `write` or a
/// ``Condition`` and so must not run on Swift's cooperative pool (the connection's reader and
/// writer). `stackSize` in bytes.
public func startThread(stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) {
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
