public import Foundation
import SystemSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A child process on three pipes, started with `posix_spawn`: the servers and fakes the tests
/// talk to.
///
/// Why not Foundation's `Process`: on Linux its `run()` crashes now and then (a 256-byte
/// over-read of a `dirent` while it lists `/proc/self/fd`, swift-corelibs-foundation PR #5472,
/// "about 1 in 5 runs of a test suite that spawns child processes"), and this suite spawns
/// hundreds. And no child may inherit another's pipes — tests run in parallel, and a server whose
/// stdin write end another child still holds never sees end of input — so the pipes are made and
/// marked close-on-exec, and the child spawned, under one lock (the child's own stdio are dup2'ed
/// copies, which do not carry the flag); every other descriptor above 2 is closed in the child
/// where the C library can (`posix_spawn_file_actions_addclosefrom_np`). The child starts with
/// default signal handlers and an empty signal mask.
public final class ChildProcess: Sendable {
  /// The parent's ends of the child's standard input, output and error.
  public let stdin: FileHandle
  public let stdout: FileHandle
  public let stderr: FileHandle
  public let processIdentifier: Int32
  /// The `waitpid` status once the child has been reaped.
  private let exit = Locked<Int32?>(nil)

  public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
  }

  /// Starts `executable` (a path, not looked up in `PATH`) with `arguments`, and `environment`
  /// (the test's own when `nil`).
  public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws {
    let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
    let environment = environment ?? ProcessInfo.processInfo.environment
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    let (pid, fds) = try Self.spawning.withLock { _ throws(SpawnError) in
      try Self.spawn(executable.path, argv, envp)
    }
    processIdentifier = pid
    stdin = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
    stdout = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
    stderr = FileHandle(fileDescriptor: fds[2], closeOnDealloc: true)
  }

  /// Held while pipes are made and a child is spawned. A real value rather than `()`, whose
  /// zero-sized storage TSan's exclusivity checks misplace onto the object header.
  private static let spawning = Locked(0)

  /// Spawns the child; returns its pid and the parent's ends of its stdin, stdout and stderr.
  private static func spawn(
    _ path: String, _ argv: [UnsafeMutablePointer<CChar>?], _ envp: [UnsafeMutablePointer<CChar>?]
  ) throws(SpawnError) -> (pid_t, [Int32]) {
    var fds: [[Int32]] = []
    for _ in 0..<3 {
      var pair: [Int32] = [-1, -1]
      guard pipe(&pair) == 0 else { throw SpawnError(description: "pipe: errno \(errno)") }
      for fd in pair { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
      fds.append(pair)
    }
    let childEnds = [fds[0][0], fds[1][1], fds[2][1]]
    defer { for fd in childEnds { close(fd) } }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (target, fd) in childEnds.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(target)) }
    if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigfillset(&defaults)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    var pid: pid_t = 0
    let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    let parentEnds = [fds[0][1], fds[1][0], fds[2][0]]
    guard result == 0 else {
      for fd in parentEnds { close(fd) }
      throw SpawnError(description: "posix_spawn \(path): error \(result)")
    }
    return (pid, parentEnds)
  }

  /// Ends a child still running (SIGTERM) and reaps it off the caller's thread.
  deinit {
    guard isRunning else { return }
    terminate()
    let pid = processIdentifier
    Thread.detachNewThread {
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }
  }

  /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Swift module does not
  /// export (it is a GNU extension), or `nil` without it.
  private static let addCloseFrom:
    (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
      else { return nil }
      return unsafeBitCast(
        symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

  /// False once the child has exited (it is then reaped).
  public var isRunning: Bool {
    exit.withLock { exit in
      guard exit == nil else { return false }
      var status: Int32 = 0
      let reaped = waitpid(processIdentifier, &status, WNOHANG)
      if reaped == processIdentifier {
        exit = status
      } else if reaped < 0, errno != EINTR {
        exit = 0  // not our child any more: nothing to wait for
      }
      return exit == nil
    }
  }

  /// Sends SIGTERM.
  public func terminate() { _ = kill(processIdentifier, SIGTERM) }

  /// The exit code, or the number of the signal that ended the child (as `Process` reports it);
  /// meaningful once ``isRunning`` is false.
  public var terminationStatus: Int32 {
    guard !isRunning, let status = exit.withLock({ $0 }) else { return -1 }
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : signal
  }
}
