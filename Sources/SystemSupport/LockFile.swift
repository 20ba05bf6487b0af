#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive `flock(2)` lock on a file, shared between processes: what the shared cache
/// coordinates processes with. The kernel drops the lock when its holder closes the file or
/// dies, so a crashed holder never leaves a lock behind.
///
/// Trying never blocks (`LOCK_NB`): a caller that must wait polls, so no thread (above all none of
/// Swift's cooperative pool) ever sleeps inside `flock`.
///
/// A holder may remove the file as it lets go (``HeldLock/release(removingFile:)``), so that lock
/// files do not pile up. That is safe because ``tryLock(_:)`` checks, once it holds the lock, that
/// the path still names the file it locked: a process that opened the file just before it was
/// removed gets its lock on a file nobody else can reach, notices, and tries the new one.
public enum LockFile {
  public enum Attempt: Sendable {
    /// The lock is ours until released.
    case acquired(HeldLock)
    /// Another open file description holds it.
    case busy
    /// The file could not be opened or locked (`errno`).
    case failed(Int32)
  }

  /// Tries once to lock `path`, creating it (mode 0600) when it does not exist.
  public static func tryLock(_ path: String) -> Attempt {
    tryLock(path, in: nil)
  }

  /// ``tryLock(_:)`` of `name` in `directory` (relative to its descriptor), or of the path `name`
  /// when `directory` is `nil`.
  static func tryLock(_ name: String, in directory: DirectoryHandle?) -> Attempt {
    let at = directory?.fd ?? AT_FDCWD
    for _ in 0..<64 {
      let fd = openat(at, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
      guard fd >= 0 else { return .failed(errno) }
      guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
        let error = errno
        close(fd)
        return error == EWOULDBLOCK || error == EINTR ? .busy : .failed(error)
      }
      var held = stat()
      var named = stat()
      if fstat(fd, &held) == 0, fstatat(at, name, &named, AT_SYMLINK_NOFOLLOW) == 0, held.st_ino == named.st_ino,
        held.st_dev == named.st_dev
      {
        return .acquired(HeldLock(path: name, directory: directory, fd: fd))
      }
      close(fd)  // removed by its last holder after we opened it: lock what the path names now
    }
    return .busy
  }
}

/// A lock ``LockFile/tryLock(_:)`` acquired. Release it exactly once.
public struct HeldLock: Sendable {
  /// The locked file's path, or its name in ``directory``.
  public let path: String
  /// The directory `path` is relative to (``DirectoryHandle/tryLock(_:)``), kept open while the
  /// lock is held; `nil` for a path.
  let directory: DirectoryHandle?
  let fd: Int32

  /// Sets the file's modification time to now (`futimens`): a sign of life its waiters can read
  /// (``Files/identity(_:)``), whatever the file's earlier history.
  public func touch() {
    futimens(fd, nil)
  }

  /// Lets the lock go; with `removingFile`, first removes the file (still holding the lock, so no
  /// other process is between its own lock and its check of the path).
  public func release(removingFile: Bool = false) {
    if removingFile { unlinkat(directory?.fd ?? AT_FDCWD, path, 0) }
    close(fd)
  }

  /// The locked file's descriptor, to read or write what the lock guards.
  public var fileDescriptor: Int32 { fd }
}
