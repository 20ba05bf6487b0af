import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The self-pipe a signal handler writes the signal's number to: the only thing a handler may
/// safely do (`write` is async-signal-safe), and a thread reading the pipe does the rest.
/// Created before any handler is installed.
private let signalPipe: (read: Int32, write: Int32) = {
  var fds: [Int32] = [-1, -1]
  guard pipe(&fds) == 0 else { return (-1, -1) }
  for fd in fds { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
  return (fds[0], fds[1])
}()

extension Connection {
  /// Ends the connection as contract §4 says when one of `signals` (SIGTERM, SIGINT, SIGHUP)
  /// arrives: ``terminate(signal:)`` — requests in flight answered -32802, whole frames only, and
  /// `run()` returns 128 + the signal's number within a second. Call once, before `run()`.
  ///
  /// Signal handlers are process-wide: the handler only writes the number to a pipe, and a thread
  /// of this connection, the one that leaves the signals unblocked, reads it (so no other work
  /// happens inside a handler). Later signals while the first is handled are ignored.
  public func terminateOnSignals(_ signals: [Int32]) {
    let pipe = signalPipe
    guard pipe.read >= 0 else { return }
    for signo in signals {
      _ = signal(signo) { signo in
        var byte = UInt8(truncatingIfNeeded: signo)
        _ = write(signalPipe.write, &byte, 1)
      }
    }
    startThread { [self] in
      // Threads of the shared pool (and the main thread, waiting for `run()`) block these
      // signals, and threads inherit that: this thread takes them, so one always can.
      var set = sigset_t()
      sigemptyset(&set)
      for signo in signals { sigaddset(&set, signo) }
      pthread_sigmask(SIG_UNBLOCK, &set, nil)
      var byte: UInt8 = 0
      while true {
        let n = read(pipe.read, &byte, 1)
        if n == 1 { break }
        if n < 0, errno == EINTR { continue }
        return
      }
      terminate(signal: Int32(byte))
    }
  }
}
