#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A directory opened once (`O_DIRECTORY | O_NOFOLLOW`), with its files named relative to it
/// (`openat`, `fstatat`, `unlinkat`, `renameat`, `fdopendir`): what is done through it happens in
/// that directory even when its path is replaced meanwhile — by a symbolic link, say — which a path
/// looked up again at every step cannot promise. The shared cache deletes files (eviction,
/// `--cache-clear`), so it opens its directories this way once it holds `store.lock`, and never
/// deletes in a link's target (adversary adv1, F1).
///
/// Names given to its methods are single path components (no `/`).
public final class DirectoryHandle: Sendable {
  /// The path it was opened by (for messages; its files are reached through the descriptor).
  public let path: String
  let fd: Int32

  /// Opens the directory at `path`; `nil` when there is none, it is not a directory, or it is a
  /// symbolic link (a link at `path`'s last component; links above it are followed).
  public init?(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    self.path = path
    self.fd = fd
  }

  deinit { close(fd) }

  /// The regular files in the directory (not `.`, `..`, directories or links), in no order;
  /// empty when it cannot be read.
  public func list() -> [Files.Entry] {
    let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)  // not left to a process spawned meanwhile
    guard copy >= 0 else { return [] }
    guard let dir = fdopendir(copy) else {
      close(copy)
      return []
    }
    defer { closedir(dir) }  // closes `copy`
    rewinddir(dir)  // a duplicate shares its offset with `fd`: start from the top every time
    return Files.entries(of: dir)
  }

  /// The size of the regular file `name` (not following a link), or `nil` when there is none.
  public func size(_ name: String) -> Int? {
    var info = stat()
    guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
  }

  /// Removes the file `name`; true when it is gone (or was never there).
  @discardableResult
  public func remove(_ name: String) -> Bool {
    unlinkat(fd, name, 0) == 0 || errno == ENOENT
  }

  /// Writes `parts` one after another into a new file `temporaryName` (mode 0600; it must not
  /// exist), then renames it to `name`, replacing what was there in one step. On failure the
  /// temporary file is removed and `false` returned.
  /// - Parameter modified: the file's modification time to set, in nanoseconds since the epoch.
  public func replace(
    _ name: String, with parts: [UnsafeRawBufferPointer], temporaryName: String, modified: Int64? = nil
  ) -> Bool {
    Files.replace(name, in: fd, with: parts, temporaryName: temporaryName, modified: modified)
  }

  /// Tries once to lock the file `name`, creating it (mode 0600) when it does not exist
  /// (``LockFile/tryLock(_:)``, in this directory). The lock keeps this handle open.
  public func tryLock(_ name: String) -> LockFile.Attempt {
    LockFile.tryLock(name, in: self)
  }
}
