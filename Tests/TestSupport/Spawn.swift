public import Foundation
import SystemSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Starts child processes whose pipes no *other* child inherits.
///
/// Tests run in parallel and each spawns servers and fakes. Foundation's `Pipe()` does not
/// set close-on-exec, so a child spawned by one test while another test's pipes are open
/// inherits their ends: a server then never sees end of input (another process still holds
/// the write end of its stdin), and its stdout never closes. Pipes are made and marked
/// close-on-exec under one lock, and the process starts under it too; the child's own stdio
/// descriptors are dup2'ed copies, which do not carry the flag.
public enum Spawn {
  /// Counts spawns; a real value rather than `()`, whose zero-sized storage TSan's exclusivity
  /// checks misplace onto the object header (a false "access race").
  private static let spawned = Locked(0)

  /// The three pipes of a child, parent's ends.
  public struct Pipes: Sendable {
    public let stdin: FileHandle
    public let stdout: FileHandle
    public let stderr: FileHandle
  }

  /// Wires `process` to three fresh pipes and runs it.
  public static func run(_ process: Process) throws -> Pipes {
    try spawned.withLock { count in
      count += 1
      let pipes = [Pipe(), Pipe(), Pipe()]
      for pipe in pipes {
        for fd in [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor] {
          _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
      }
      process.standardInput = pipes[0]
      process.standardOutput = pipes[1]
      process.standardError = pipes[2]
      try process.run()
      // The child holds its copies now; the parent keeps only its own ends.
      try? pipes[0].fileHandleForReading.close()
      try? pipes[1].fileHandleForWriting.close()
      try? pipes[2].fileHandleForWriting.close()
      return Pipes(
        stdin: pipes[0].fileHandleForWriting, stdout: pipes[1].fileHandleForReading,
        stderr: pipes[2].fileHandleForReading)
    }
  }
}
