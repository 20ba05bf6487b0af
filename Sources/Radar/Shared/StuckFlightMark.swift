import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a process whose wait for another process's call ran out leaves for the user's other
/// processes, beside that call's lock file (`flights/<sha256>.stuck`): the lock file's
/// ``Files/Identity`` as it was when the wait ran out. While the lock file is that same file,
/// untouched (its holder writes no ``FlightRecord``: a stopped process, Ctrl-Z or SIGSTOP), every
/// process fetches that request without waiting for it — so a stopped holder costs the user's
/// processes together one wait, not one per process (adversary helper-23). The process that next
/// takes the lock removes the mark; `--cache-clear` removes it with the unheld lock files.
///
///     offset  size  field (little-endian)
///          0     8  magic "rrstuck1"
///          8     8  device
///         16     8  inode
///         24     8  size
///         32     8  modified, nanoseconds since the Unix epoch
///         40     8  changed, nanoseconds since the Unix epoch
///
/// Written to a temporary file and renamed; anything but those 48 bytes is no mark.
struct StuckFlightMark: Sendable, Hashable {
  /// The lock file, as it was when a wait for it ran out.
  let lockFile: Files.Identity

  private static let magic = Array("rrstuck1".utf8)
  private static let size = 48

  /// The mark's path beside the lock file at `lockPath`.
  static func path(besideLock lockPath: String) -> String { lockPath + ".stuck" }

  /// The mark beside the lock file at `lockPath`, or `nil`.
  static func read(besideLock lockPath: String) -> StuckFlightMark? {
    guard let bytes = Files.read(path(besideLock: lockPath), limit: size), bytes.count == size,
      bytes.prefix(8).elementsEqual(magic)
    else { return nil }
    let fields = bytes.withUnsafeBytes { raw in
      (1...5).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) }
    }
    return StuckFlightMark(
      lockFile: Files.Identity(
        device: fields[0], inode: fields[1], size: Int(truncatingIfNeeded: fields[2]),
        modified: Int64(bitPattern: fields[3]), changed: Int64(bitPattern: fields[4])))
  }

  /// Writes the mark beside the lock file at `lockPath` (best effort: a mark that cannot be
  /// written only costs other processes their own wait).
  func write(besideLock lockPath: String) {
    var bytes = Self.magic
    for field in [
      lockFile.device, lockFile.inode, UInt64(truncatingIfNeeded: lockFile.size),
      UInt64(bitPattern: lockFile.modified), UInt64(bitPattern: lockFile.changed),
    ] {
      withUnsafeBytes(of: field.littleEndian) { bytes.append(contentsOf: $0) }
    }
    let path = Self.path(besideLock: lockPath)
    // A temporary name of this process's own: waiters in several processes may write at once.
    let temporary = path + ".\(getpid())"
    _ = bytes.withUnsafeBytes { Files.replace(path, with: [$0], temporaryPath: temporary) }
  }

  /// Removes the mark beside the lock file at `lockPath`, if there is one.
  static func remove(besideLock lockPath: String) {
    Files.remove(path(besideLock: lockPath))
  }
}
