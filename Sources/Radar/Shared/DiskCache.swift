import Diagnostics
import JSON
import SystemSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The results of the shared cache, one file per canonical request in
/// ``CacheDirectory``'s `results/`, bounded in bytes and in files, oldest out first.
///
/// Readers take no lock: an entry is replaced atomically (written beside it under a temporary
/// name, then renamed over it), so a reader gets the old file or the new one, whole, and checks it
/// (``CacheEntry``) before it serves it. Writers take `store.lock` for the whole of a store:
/// they remove the temporary file of a writer that died holding the lock, make room, write the
/// entry and rename it into place. `store.lock` also holds a ``Tally`` of the directory (bytes,
/// files, newest store), so a store that fits needs no listing; one that does not lists the
/// directory and evicts the oldest entries until an eighth of each bound is free (so listings stay
/// rare when the cache is full). The tally counts a new entry before its file exists and forgets
/// the entry it replaces only after the rename, so a writer killed anywhere leaves it too high,
/// never too low. A store must fit beside everything the tally counts, the entry it replaces
/// included: until the rename, the old file and the new one are both on disk, and a writer killed
/// there leaves both. So the directory never holds more than ``maxBytes``, whatever is killed
/// when. "Oldest" is the order of stores: each entry's modification time is set past every
/// other's (the file system's clock is too coarse to order stores made within a few milliseconds).
struct DiskCache: Sendable {
  let directory: CacheDirectory
  /// The most bytes of entry files (headers and keys included).
  let maxBytes: Int
  /// The most entry files; keeps a store's listing of the directory short.
  let maxEntries: Int

  static let temporaryPrefix = ".tmp-"

  /// Whether `name` is one this cache writes in `results/`: an entry (64 lowercase hexadecimal
  /// digits, ``fileName(for:)``) or a temporary file. Anything else there is not ours: never
  /// counted, evicted or cleared.
  static func isOwnFileName(_ name: String) -> Bool {
    name.hasPrefix(temporaryPrefix) || isDigestName(name)
  }

  /// Whether `name` is a SHA-256 digest in lowercase hexadecimal: an entry's name in `results/`,
  /// a lock file's in `flights/`.
  static func isDigestName(_ name: String) -> Bool {
    let utf8 = name.utf8
    return utf8.count == 64 && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }

  /// `results/`, opened once (not through a symbolic link: ``DirectoryHandle``), for a holder of
  /// `store.lock` to write and delete in; `nil` when it is not there or is a link.
  private var results: DirectoryHandle? {
    let handle = DirectoryHandle(directory.results)
    if handle == nil { Logger.shared.debug("shared cache: \(directory.results) is not a directory of its own") }
    return handle
  }

  /// The files of `results` that are ours (``isOwnFileName(_:)``).
  private static func ownFiles(_ results: DirectoryHandle) -> [Files.Entry] {
    results.list().filter { isOwnFileName($0.name) }
  }

  /// What a read found.
  enum Read {
    case missing
    /// A file that is not a usable entry for the key (torn, damaged, foreign, or another key's).
    case rejected(CacheEntry.Defect)
    case found(storedAt: Int64, expiresAt: Int64, result: EncodedJSON)
  }

  /// The entry for `key` as it is on disk now.
  func read(_ key: String) -> Read {
    let keyBytes = Array(key.utf8)
    do throws(CacheEntry.Defect) {
      // No entry is larger than a store allows (`maxBytes`, header and key included), and the
      // header is checked before the rest is read: a large file that is not this key's entry costs
      // its first 80 bytes, not its size in memory.
      let read = try Files.read(path(for: key), limit: maxBytes, checkingFirst: CacheEntry.headerSize) {
        (header, size) throws(CacheEntry.Defect) in try CacheEntry.checkHeader(header, key: keyBytes, fileSize: size)
      }
      guard let file = read else { return .missing }
      let entry = try CacheEntry.decode(file, key: keyBytes)
      return .found(
        storedAt: entry.storedAt, expiresAt: entry.expiresAt,
        result: EncodedJSON(previouslyWritten: file, range: entry.result))
    } catch {
      return .rejected(error)
    }
  }

  /// What a store did.
  enum Store: Sendable, Hashable {
    case stored(evicted: Int)
    /// Larger than the whole budget: not stored.
    case tooLarge
    /// `store.lock` stayed held by another process for `lockWait`.
    case busy
    /// `store.lock` could not be opened, or the file could not be written.
    case failed
  }

  /// Writes `result` as the entry for `key`, evicting the oldest entries first until it fits.
  /// Waits (polling, off any thread's back) at most `lockWait` for `store.lock`.
  /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
  func store(
    _ result: EncodedJSON, for key: String, storedAt: Int64, expiresAt: Int64, lockWait: Duration
  ) async throws -> Store {
    let keyBytes = Array(key.utf8)
    let size = CacheEntry.headerSize + keyBytes.count + result.count
    guard size <= maxBytes else { return .tooLarge }
    let lock: HeldLock
    switch try await Self.lock(directory.storeLock, within: lockWait) {
    case .acquired(let held): lock = held
    case .busy: return .busy
    case .failed: return .failed
    }
    defer { lock.release() }
    // Opened holding the lock: whatever replaced its path while we waited, nothing is written or
    // deleted but in the cache's own directory.
    guard let results else { return .failed }
    let name = fileName(for: key)
    results.remove(Self.temporaryName)  // only the holder of store.lock writes one: a dead writer's
    var tally = Tally(lock.fileDescriptor)
    var evicted = 0
    if tally == nil || !tally!.fits(size, maxBytes: maxBytes, maxEntries: maxEntries) {
      let room = makeRoom(in: results, for: size)
      evicted = room.evicted
      tally = room.tally
    }
    let replaced = results.size(name)
    let before = tally!
    let modified = max(WallClock.nanoseconds(), before.newest &+ 1)
    // Counted before the file exists, the entry it replaces still counted: never too low.
    Tally(bytes: before.bytes + size, files: before.files + 1, newest: modified).write(lock.fileDescriptor)
    let written = keyBytes.withUnsafeBytes { key in
      result.withBytes { body in
        let result = UnsafeRawBufferPointer(body)
        let header = CacheEntry.header(key: key, result: result, storedAt: storedAt, expiresAt: expiresAt)
        return header.withUnsafeBytes { header in
          results.replace(name, with: [header, key, result], temporaryName: Self.temporaryName, modified: modified)
        }
      }
    }
    let after =
      written
      ? Tally(
        bytes: before.bytes - (replaced ?? 0) + size, files: before.files + (replaced == nil ? 1 : 0), newest: modified)
      : before
    after.write(lock.fileDescriptor)
    return written ? .stored(evicted: evicted) : .failed
  }

  /// Removes every entry (and any temporary file a dead writer left; files of other names stay),
  /// and the lock files of calls no process is making; returns how many entry files and bytes went, or `nil` when `store.lock`
  /// stayed busy for `lockWait`.
  /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
  func clear(lockWait: Duration) async throws -> (files: Int, bytes: Int)? {
    guard case .acquired(let lock) = try await Self.lock(directory.storeLock, within: lockWait) else { return nil }
    defer { lock.release() }
    var files = 0
    var bytes = 0
    // Opened holding the lock, not through links: nothing is deleted but in the cache's own
    // directories, and there only the cache's own files.
    if let results {
      for entry in Self.ownFiles(results) where results.remove(entry.name) {
        files += 1
        bytes += entry.size
      }
    }
    _ = Files.overwrite(descriptor: lock.fileDescriptor, with: UnsafeRawBufferPointer(start: nil, count: 0))
    // Lock files of calls no process is making (left by processes that died mid-call).
    if let flights = DirectoryHandle(directory.flights) {
      for entry in flights.list() where Self.isDigestName(entry.name) {
        if case .acquired(let held) = flights.tryLock(entry.name) { held.release(removingFile: true) }
      }
    }
    return (files, bytes)
  }

  /// The bytes of entry files on disk now (temporary files included).
  var bytesOnDisk: Int { results.map { Self.ownFiles($0).reduce(0) { $0 + $1.size } } ?? 0 }

  /// `results/<sha256 of key>`.
  func path(for key: String) -> String { directory.results + "/" + fileName(for: key) }

  func fileName(for key: String) -> String { SHA256.hex(key) }

  /// The one temporary file: only the holder of `store.lock` writes one, so a fixed name does,
  /// and a dead writer's leftover is found by name.
  private static let temporaryName = temporaryPrefix + "entry"

  /// Holding `store.lock`: lists the directory, removes dead writers' temporary files, then the
  /// oldest entries until a new file of `size` bytes fits beside the rest (the entry it will
  /// replace included) with an eighth of each bound to spare. Returns how many entries went, and
  /// the tally of what is left.
  private func makeRoom(in results: DirectoryHandle, for size: Int) -> (evicted: Int, tally: Tally) {
    var entries: [Files.Entry] = []
    var total = 0
    for entry in Self.ownFiles(results) {
      if entry.name.hasPrefix(Self.temporaryPrefix) {
        // Temporary files exist only while their writer holds store.lock, which is ours now.
        results.remove(entry.name)
      } else {
        entries.append(entry)
        total += entry.size
      }
    }
    let newest = entries.map(\.modified).max() ?? 0
    // The new file, beside every entry until its rename.
    var count = entries.count + 1
    guard total + size > maxBytes || count > maxEntries else {
      return (0, Tally(bytes: total, files: entries.count, newest: newest))
    }
    let bytesTarget = maxBytes - maxBytes / 8
    let filesTarget = max(1, maxEntries - maxEntries / 8)
    entries.sort { ($0.modified, $0.name) < ($1.modified, $1.name) }
    var evicted = 0
    var left = entries.count
    for entry in entries {
      guard total + size > bytesTarget || count > filesTarget else { break }
      guard results.remove(entry.name) else { continue }
      total -= entry.size
      evicted += 1
      left -= 1
      count -= 1
    }
    return (evicted, Tally(bytes: total, files: left, newest: newest))
  }

  /// What `results/` holds, as the last store left it (kept in `store.lock`, read and written by
  /// its holder): entry bytes, entry files, and the newest entry's modification time (ns).
  struct Tally: Hashable {
    var bytes: Int
    var files: Int
    var newest: Int64

    private static let magic = Array("rrtally1".utf8)

    init(bytes: Int, files: Int, newest: Int64) {
      self.bytes = bytes
      self.files = files
      self.newest = newest
    }

    /// The tally in the open `store.lock`; `nil` when there is none (a new or cleared directory,
    /// a file a killed writer left half-written): the directory is then listed.
    init?(_ fd: Int32) {
      guard let bytes = Files.read(descriptor: fd, limit: 64), bytes.count == 32,
        bytes.prefix(8).elementsEqual(Self.magic)
      else { return nil }
      func load(_ offset: Int) -> Int64 {
        bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Int64.self)) }
      }
      guard load(8) >= 0, load(16) >= 0 else { return nil }
      self.init(bytes: Int(load(8)), files: Int(load(16)), newest: load(24))
    }

    /// Whether a new file of `size` bytes fits beside every entry counted, the one it replaces
    /// included: both are on disk until the rename (a writer killed there leaves both).
    func fits(_ size: Int, maxBytes: Int, maxEntries: Int) -> Bool {
      bytes + size <= maxBytes && files + 1 <= maxEntries
    }

    func write(_ fd: Int32) {
      var encoded = Self.magic
      for value in [Int64(bytes), Int64(files), newest] {
        withUnsafeBytes(of: value.littleEndian) { encoded.append(contentsOf: $0) }
      }
      _ = encoded.withUnsafeBytes { Files.overwrite(descriptor: fd, with: $0) }
    }
  }

  /// Takes the lock file at `path` (and touches it: a sign of life for those who wait), polling
  /// for at most `wait` counted from its holder's last sign of life — taking it, or writing what
  /// it guards — rather than from now: `.busy` when it stayed held that long, at once when it has
  /// been held untouched for longer already (a stopped process holds it: the user's processes
  /// then wait for it once in all, not once each; adversary adv1, F9). `.failed` when it cannot be
  /// opened.
  /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
  static func lock(_ path: String, within wait: Duration) async throws -> LockFile.Attempt {
    var deadline: ContinuousClock.Instant?
    var pause = Duration.milliseconds(1)
    while true {
      let attempt = LockFile.tryLock(path)
      switch attempt {
      case .acquired(let held):
        held.touch()
        return attempt
      case .failed: return attempt
      case .busy:
        let now = ContinuousClock.now
        let end = deadline ?? now + wait - min(Files.untouched(path), wait)
        deadline = end
        guard now < end else { return attempt }
        try await Task.sleep(for: pause)
        pause = min(pause * 2, .milliseconds(20))
      }
    }
  }
}
