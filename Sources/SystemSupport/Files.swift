#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few file operations the shared cache makes, over the C library: whole-file reads bounded
/// in size, atomic replacement (a new file written beside the old one, then renamed over it, so a
/// reader sees the old file or the new one and never a mix), directory listings with sizes, and
/// private directories. Paths are plain strings; no call follows a symbolic link where it creates
/// or replaces a file.
public enum Files {
  /// The bytes of the regular file at `path`, or `nil` when it does not exist, is not a regular
  /// file, cannot be read, or holds more than `limit` bytes.
  public static func read(_ path: String, limit: Int) -> [UInt8]? {
    read(path, limit: limit, checkingFirst: 0) { _, _ in }
  }

  /// The bytes of the regular file at `path` (a link is not followed), or `nil` when it does not
  /// exist, is not a regular file, cannot be read, or holds more than `limit` bytes. Before the
  /// rest is read (and memory taken for it), `check` sees the file's first `prefix` bytes (all of
  /// it when shorter) and its size, and may refuse it by throwing.
  /// - Throws: what `check` throws.
  public static func read<Failure: Error>(
    _ path: String, limit: Int, checkingFirst prefix: Int, _ check: ([UInt8], _ size: Int) throws(Failure) -> Void
  ) throws(Failure) -> [UInt8]? {
    // O_NONBLOCK: opening a FIFO (or a device) found where a file should be does not wait for a
    // writer; fstat then refuses it.
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard let size = regularFileSize(fd, limit: limit) else { return nil }
    if prefix > 0 {
      guard let head = read(fd, count: min(prefix, size)) else { return nil }
      try check(head, size)
    }
    return read(fd, count: size)
  }

  /// The bytes of the open regular file `fd` from its start (whatever its offset), or `nil` when
  /// it is not a regular file, cannot be read, or holds more than `limit` bytes.
  public static func read(descriptor fd: Int32, limit: Int) -> [UInt8]? {
    guard let size = regularFileSize(fd, limit: limit) else { return nil }
    return read(fd, count: size)
  }

  /// The size of the open file `fd` when it is a regular file of at most `limit` bytes.
  private static func regularFileSize(_ fd: Int32, limit: Int) -> Int? {
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size >= 0, info.st_size <= limit else {
      return nil
    }
    return Int(info.st_size)
  }

  /// The first `size` bytes of `fd`, or `nil` when fewer could be read.
  private static func read(_ fd: Int32, count size: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: size)
    var offset = 0
    let complete = bytes.withUnsafeMutableBytes { buffer -> Bool in
      while offset < size {
        let n = pread(fd, buffer.baseAddress! + offset, size - offset, off_t(offset))
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
      }
      return true
    }
    return complete ? bytes : nil
  }

  /// Writes `parts` one after another into a new file at `temporaryPath` (mode 0600; it must not
  /// exist), then renames it to `path`, replacing what was there in one step. On failure the
  /// temporary file is removed and `false` returned.
  /// - Parameter modified: the file's modification time to set, in nanoseconds since the epoch.
  public static func replace(
    _ path: String, with parts: [UnsafeRawBufferPointer], temporaryPath: String, modified: Int64? = nil
  ) -> Bool {
    replace(path, in: AT_FDCWD, with: parts, temporaryName: temporaryPath, modified: modified)
  }

  /// ``replace(_:with:temporaryPath:modified:)`` with `name` and `temporaryName` relative to the
  /// directory descriptor `directory` (`AT_FDCWD`: paths).
  static func replace(
    _ name: String, in directory: Int32, with parts: [UnsafeRawBufferPointer], temporaryName: String,
    modified: Int64?
  ) -> Bool {
    let fd = openat(directory, temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { return false }
    var written = true
    for part in parts where written { written = writeAll(part, to: fd) }
    if written, let modified {
      let time = timespec(tv_sec: Int(modified / 1_000_000_000), tv_nsec: Int(modified % 1_000_000_000))
      var times = [time, time]
      written = futimens(fd, &times) == 0
    }
    if close(fd) != 0 { written = false }
    guard written, renameat(directory, temporaryName, directory, name) == 0 else {
      unlinkat(directory, temporaryName, 0)
      return false
    }
    return true
  }

  /// Makes `bytes` the whole content of the open file `fd`: one `pwrite` at offset 0, then a
  /// truncation to their length. For a file only ever read and written under a lock its readers
  /// take too (a process killed between the two leaves a file longer than what it wrote, which
  /// its readers must reject); others need ``replace(_:with:temporaryPath:modified:)``.
  public static func overwrite(descriptor fd: Int32, with bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = pwrite(fd, bytes.baseAddress! + offset, bytes.count - offset, off_t(offset))
      if n < 0, errno == EINTR { continue }
      if n <= 0 { return false }
      offset += n
    }
    return ftruncate(fd, off_t(bytes.count)) == 0
  }

  /// One directory entry: its name, size in bytes, and last modification (nanoseconds since the epoch).
  public struct Entry: Sendable, Hashable {
    public let name: String
    public let size: Int
    public let modified: Int64
  }

  /// The regular files in `directory` (not `.`, `..`, directories or links), in no order; empty
  /// when it cannot be read.
  public static func list(_ directory: String) -> [Entry] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    return entries(of: dir)
  }

  /// The regular files of an open directory stream, read from where it is to its end.
  static func entries(of dir: OpaquePointer) -> [Entry] {
    let dirFD = dirfd(dir)
    var entries: [Entry] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
        String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
      }
      if name == "." || name == ".." { continue }
      var info = stat()
      guard fstatat(dirFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
      #if canImport(Darwin)
        let modified = nanoseconds(info.st_mtimespec)
      #else
        let modified = nanoseconds(info.st_mtim)
      #endif
      entries.append(Entry(name: name, size: Int(info.st_size), modified: modified))
    }
    return entries
  }

  /// The most a file time counts for, in nanoseconds since the epoch either way (about 146 years).
  public static let latestModified: Int64 = 1 << 62

  /// A file time in nanoseconds since the epoch, clamped to ±``latestModified``. A file's time is
  /// outside input (contract §7): `touch -d 2300-01-01` sets one whose nanoseconds no `Int64`
  /// holds, and the clamp also leaves room for the arithmetic done on it (`newest + 1`).
  static func nanoseconds(_ time: timespec) -> Int64 {
    let (product, overflow) = Int64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
    guard !overflow, (-latestModified...latestModified).contains(product) else {
      return time.tv_sec < 0 ? -latestModified : latestModified
    }
    return min(product + Int64(time.tv_nsec), latestModified)
  }

  /// The size of the regular file at `path` (not following a link), or `nil` when there is none.
  public static func size(_ path: String) -> Int? {
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
  }

  /// What tells one file from another, and one state of it from the next: its device and inode,
  /// size, and the times of its last write and last change. Equal identities are the same file,
  /// untouched in between; a file made where a removed one was gets a new change time even when
  /// its inode number is reused.
  public struct Identity: Sendable, Hashable {
    public let device: UInt64
    public let inode: UInt64
    public let size: Int
    /// Nanoseconds since the epoch.
    public let modified: Int64
    /// Nanoseconds since the epoch of the last change of the file or its attributes.
    public let changed: Int64
  }

  /// The identity of what `path` names (a link is not followed), or `nil` when nothing does.
  public static func identity(_ path: String) -> Identity? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    #if canImport(Darwin)
      let (modified, changed) = (nanoseconds(info.st_mtimespec), nanoseconds(info.st_ctimespec))
    #else
      let (modified, changed) = (nanoseconds(info.st_mtim), nanoseconds(info.st_ctim))
    #endif
    return Identity(
      device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
      size: Int(info.st_size), modified: modified, changed: changed)
  }

  /// How long the file at `path` has gone unmodified: its modification time against the time of
  /// day (`CLOCK_REALTIME`, the clock the kernel stamps files with); zero when there is no file or
  /// its time is ahead of the clock. A lock's holder touches its lock file (``HeldLock/touch()``),
  /// so for a lock file this is how long its holder has given no sign of life.
  public static func untouched(_ path: String) -> Duration {
    guard let file = identity(path) else { return .zero }
    let age = WallClock.nanoseconds() - file.modified
    return age <= 0 ? .zero : .nanoseconds(age)
  }

  /// Removes the file at `path`; true when it is gone (or was never there).
  @discardableResult
  public static func remove(_ path: String) -> Bool {
    unlink(path) == 0 || errno == ENOENT
  }

  /// Whether `path` is a directory; with `followingLink: false` a symbolic link to one is not.
  public static func isDirectory(_ path: String, followingLink: Bool = true) -> Bool {
    var info = stat()
    let found = followingLink ? stat(path, &info) : lstat(path, &info)
    return found == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// Why ``makePrivateDirectory(_:)`` refused a directory.
  public enum DirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `mkdir` or `stat` failed with `errno`.
    case unusable(path: String, errno: Int32)
    case notADirectory(path: String)
    /// A symbolic link where a directory of our own is wanted: what is deleted or written below it
    /// would land wherever it points.
    case symbolicLink(path: String)
    /// Owned by another user: what it holds cannot be trusted, and what we write would be theirs.
    case foreignOwner(path: String)

    public var description: String {
      switch self {
      case .unusable(let path, let code): "\(path): \(String(cString: strerror(code)))"
      case .notADirectory(let path): "\(path) is not a directory"
      case .symbolicLink(let path): "\(path) is a symbolic link, not followed here"
      case .foreignOwner(let path): "\(path) belongs to another user"
      }
    }
  }

  /// Makes `path` a directory only its owner can enter (mode 0700), creating it and any missing
  /// parents (each 0700, as the XDG base directory specification asks). An existing directory must
  /// belong to this user; if it grants anything to others, that is taken away. With
  /// `followingLink: false`, a symbolic link at `path` itself is refused (its target is not
  /// checked or changed).
  public static func makePrivateDirectory(_ path: String, followingLink: Bool = true) throws(DirectoryError) {
    var info = stat()
    func look() -> Bool { (followingLink ? stat(path, &info) : lstat(path, &info)) == 0 }
    if !look() {
      guard errno == ENOENT else { throw .unusable(path: path, errno: errno) }
      if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
        let parent = String(path[..<slash])
        var parentInfo = stat()
        if stat(parent, &parentInfo) != 0 { try makePrivateDirectory(parent) }
      }
      guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .unusable(path: path, errno: errno) }
      guard look() else { throw .unusable(path: path, errno: errno) }
    }
    guard (info.st_mode & S_IFMT) != S_IFLNK else { throw .symbolicLink(path: path) }
    guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: path) }
    guard info.st_uid == geteuid() else { throw .foreignOwner(path: path) }
    if info.st_mode & 0o077 != 0, chmod(path, 0o700) != 0 { throw .unusable(path: path, errno: errno) }
  }
}
