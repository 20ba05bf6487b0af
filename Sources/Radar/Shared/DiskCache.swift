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
/// they list the directory, remove temporary files left by writers that died holding the lock,
/// evict the oldest entries until the new one fits, write it and rename it into place. So the
/// directory never holds more than ``maxBytes``, whatever is killed when. "Oldest" is the order
/// of stores: each entry's modification time is set past every other's (the file system's clock
/// is too coarse to order stores made within a few milliseconds).
struct DiskCache: Sendable {
  let directory: CacheDirectory
  /// The most bytes of entry files (headers and keys included).
  let maxBytes: Int
  /// The most entry files; keeps a store's listing of the directory short.
  let maxEntries: Int

  static let temporaryPrefix = ".tmp-"

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
    /// `store.lock` stayed busy for `lockWait`, or the file could not be written.
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
    guard let lock = try await Self.lock(directory.storeLock, within: lockWait) else { return .failed }
    defer { lock.release() }
    let name = fileName(for: key)
    let (evicted, newest) = makeRoom(for: size, replacing: name)
    let modified = max(WallClock.nanoseconds(), newest + 1)
    let destination = directory.results + "/" + name
    let written = keyBytes.withUnsafeBytes { key in
      result.withBytes { body in
        let result = UnsafeRawBufferPointer(body)
        let header = CacheEntry.header(key: key, result: result, storedAt: storedAt, expiresAt: expiresAt)
        return header.withUnsafeBytes { header in
          Files.replace(destination, with: [header, key, result], temporaryPath: temporaryPath, modified: modified)
        }
      }
    }
    return written ? .stored(evicted: evicted) : .failed
  }

  /// Removes every entry (and any temporary file a dead writer left), and the lock files of calls
  /// no process is making; returns how many entry files and bytes went, or `nil` when `store.lock`
  /// stayed busy for `lockWait`.
  /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
  func clear(lockWait: Duration) async throws -> (files: Int, bytes: Int)? {
    guard let lock = try await Self.lock(directory.storeLock, within: lockWait) else { return nil }
    defer { lock.release() }
    var files = 0
    var bytes = 0
    for entry in Files.list(directory.results) where Files.remove(directory.results + "/" + entry.name) {
      files += 1
      bytes += entry.size
    }
    // Lock files of calls no process is making (left by processes that died mid-call).
    for entry in Files.list(directory.flights) {
      if case .acquired(let held) = LockFile.tryLock(directory.flights + "/" + entry.name) {
        held.release(removingFile: true)
      }
    }
    return (files, bytes)
  }

  /// The bytes of entry files on disk now (temporary files included).
  var bytesOnDisk: Int { Files.list(directory.results).reduce(0) { $0 + $1.size } }

  /// `results/<sha256 of key>`.
  func path(for key: String) -> String { directory.results + "/" + fileName(for: key) }

  func fileName(for key: String) -> String { SHA256.hex(key) }

  /// The one temporary file: only the holder of `store.lock` writes one, so a fixed name does,
  /// and a dead writer's leftover is found by name.
  private var temporaryPath: String { directory.results + "/" + Self.temporaryPrefix + "entry" }

  /// Holding `store.lock`: removes dead writers' temporary files, then the oldest entries until
  /// one of `size` bytes fits within both bounds. Returns how many entries went, and the newest
  /// modification time among all entries.
  private func makeRoom(for size: Int, replacing name: String) -> (evicted: Int, newest: Int64) {
    var entries: [Files.Entry] = []
    var total = 0
    for entry in Files.list(directory.results) {
      if entry.name.hasPrefix(Self.temporaryPrefix) {
        // Temporary files exist only while their writer holds store.lock, which is ours now.
        Files.remove(directory.results + "/" + entry.name)
      } else {
        entries.append(entry)
        total += entry.size
      }
    }
    let newest = entries.map(\.modified).max() ?? 0
    let replacing = entries.contains { $0.name == name }
    guard total + size > maxBytes || entries.count + (replacing ? 0 : 1) > maxEntries else { return (0, newest) }
    entries.sort { ($0.modified, $0.name) < ($1.modified, $1.name) }
    var count = entries.count + (replacing ? 0 : 1)
    var evicted = 0
    for entry in entries {
      guard total + size > maxBytes || count > maxEntries else { break }
      guard Files.remove(directory.results + "/" + entry.name) else { continue }
      total -= entry.size
      evicted += 1
      if entry.name != name { count -= 1 }
    }
    return (evicted, newest)
  }

  /// Takes the lock file at `path`, polling for at most `wait`; `nil` when it stayed busy or cannot
  /// be opened.
  /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
  static func lock(_ path: String, within wait: Duration) async throws -> HeldLock? {
    let deadline = ContinuousClock.now + wait
    var pause = Duration.milliseconds(1)
    while true {
      switch LockFile.tryLock(path) {
      case .acquired(let lock): return lock
      case .failed: return nil
      case .busy:
        guard ContinuousClock.now < deadline else { return nil }
        try await Task.sleep(for: pause)
        pause = min(pause * 2, .milliseconds(20))
      }
    }
  }
}
