import Foundation
import JSON
import SystemSupport
import Testing

@testable import Radar

/// The results on disk: what is stored reads back, the byte and file bounds hold with the oldest
/// out first, a dead writer's leftovers are cleared, and everything is private to the user.
@Suite struct DiskCacheTests {
  private static func result(_ n: Int, padding: Int = 0) -> EncodedJSON {
    EncodedJSON(["n": .number(JSONNumber(n)), "pad": .string(String(repeating: "x", count: padding))])
  }

  private static func disk(_ dir: TemporaryDirectory, maxBytes: Int = 1 << 20, maxEntries: Int = 100) throws
    -> DiskCache
  {
    let directory = CacheDirectory(path: dir.path + "/cache")
    try directory.prepare()
    return DiskCache(directory: directory, maxBytes: maxBytes, maxEntries: maxEntries)
  }

  private static func number(_ read: DiskCache.Read) -> Int? {
    guard case .found(_, _, let result) = read else { return nil }
    return result.decoded["n"]?.intValue
  }

  @Test func aStoredResultReadsBackWithItsTimes() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    #expect(
      try await disk.store(Self.result(1), for: "k", storedAt: 5, expiresAt: 9, lockWait: .seconds(60))
        == .stored(evicted: 0))
    guard case .found(let stored, let expires, let result) = disk.read("k") else {
      Issue.record("not found")
      return
    }
    #expect(stored == 5 && expires == 9)
    #expect(result == Self.result(1))
    guard case .missing = disk.read("other") else {
      Issue.record("another key found something")
      return
    }
    #expect(
      try await disk.store(Self.result(2), for: "k", storedAt: 6, expiresAt: 9, lockWait: .seconds(60))
        == .stored(evicted: 0))
    #expect(Self.number(disk.read("k")) == 2)
  }

  @Test func theByteBoundHoldsAndTheOldestGoFirst() async throws {
    let dir = try TemporaryDirectory()
    let entrySize = CacheEntry.headerSize + 2 + Self.result(0, padding: 300).count
    let disk = try Self.disk(dir, maxBytes: entrySize * 3 + 10)
    var evictions: [Int] = []
    for i in 0..<10 {
      let stored = try await disk.store(
        Self.result(i, padding: 300), for: "k\(i)", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
      guard case .stored(let evicted) = stored else {
        Issue.record("k\(i): \(stored)")
        return
      }
      evictions.append(evicted)
      #expect(disk.bytesOnDisk <= entrySize * 3 + 10)
    }
    // The fourth does not fit: the two oldest go, leaving an eighth of the bound free, so the
    // next store fits without listing or evicting anything.
    #expect(evictions == [0, 0, 0, 2, 0, 2, 0, 2, 0, 2])
    #expect((0..<10).filter { Self.number(disk.read("k\($0)")) != nil } == [8, 9])
  }

  /// Until its rename, a replacement's new file lies beside the entry it replaces: a writer killed
  /// there leaves both (the crash test once found the directory 890 bytes over its bound so). In a
  /// full cache, a replacement therefore makes room first, though the count after it is the same.
  @Test func aReplacementMakesRoomForItsFileBesideTheOldOne() async throws {
    let dir = try TemporaryDirectory()
    let entrySize = CacheEntry.headerSize + 2 + Self.result(0, padding: 100).count
    let disk = try Self.disk(dir, maxBytes: entrySize * 4)
    for i in 1...4 {
      #expect(
        try await disk.store(
          Self.result(i, padding: 100), for: "k\(i)", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
          == .stored(evicted: 0))
    }
    // Full. Replacing k4 with a result of the same size: old, new and the rest would be 5 entries'
    // bytes on disk at once, so the oldest go (down to an eighth free: k1 and k2).
    #expect(
      try await disk.store(Self.result(5, padding: 100), for: "k4", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
        == .stored(evicted: 2))
    #expect(disk.bytesOnDisk == 2 * entrySize)
    #expect((1...4).map { Self.number(disk.read("k\($0)")) } == [nil, nil, 3, 5])
    // Room to spare now: the next replacement evicts nothing.
    #expect(
      try await disk.store(Self.result(6, padding: 100), for: "k3", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
        == .stored(evicted: 0))
  }

  /// The tally in store.lock: a store that fits needs no listing, and a tally that is too high
  /// (a file removed behind its back, a killed writer's count) only makes the next store list
  /// and count again.
  @Test func theTallyFollowsStoresReplacementsAndClears() async throws {
    let dir = try TemporaryDirectory()
    let entrySize = CacheEntry.headerSize + 2 + Self.result(0, padding: 100).count
    let disk = try Self.disk(dir, maxBytes: entrySize * 4)
    func tally() -> DiskCache.Tally? {
      let fd = open(dir.path + "/cache/store.lock", O_RDONLY)
      defer { close(fd) }
      return DiskCache.Tally(fd)
    }
    func store(_ key: String) async throws -> DiskCache.Store {
      try await disk.store(Self.result(0, padding: 100), for: key, storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    }
    _ = try await store("k1")
    _ = try await store("k2")
    _ = try await store("k1")  // a replacement: counted once
    #expect(tally()?.bytes == 2 * entrySize && tally()?.files == 2)
    Files.remove(disk.path(for: "k1"))  // behind its back: the tally is too high, never too low
    _ = try await store("k3")
    _ = try await store("k4")
    // Over by the tally, not on disk: listed and counted again, nothing evicted.
    #expect(try await store("k5") == .stored(evicted: 0))
    #expect(tally()?.bytes == 4 * entrySize && tally()?.files == 4)
    #expect(try await disk.clear(lockWait: .seconds(60))?.files == 4)
    #expect(tally() == nil)
    _ = try await store("k6")
    #expect(tally()?.bytes == entrySize && tally()?.files == 1)
  }

  /// A file's time is outside input (contract §7): one past the year 2262, or before 1677, holds
  /// more nanoseconds than an `Int64` (`touch -d 2300-01-01` in the cache made a store trap); it
  /// is clamped, and storing beside it goes on.
  @Test func fileTimesNoInt64HoldsAreClamped() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir, maxEntries: 2)
    _ = try await disk.store(Self.result(0), for: "k0", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    _ = try await disk.store(Self.result(1), for: "k1", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    let names = dir.files("cache/results").sorted()
    #expect(names.count == 2)
    for (name, seconds) in zip(names, [1e10, -1e10]) {  // 2286-11-20 and 1653-02-10
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: dir.path + "/cache/results/" + name)
    }
    let times = Files.list(dir.path + "/cache/results").map(\.modified).sorted()
    // The file system may keep an early time as its own earliest (ext4: 1901); the late one is clamped.
    #expect(times.last == Files.latestModified)
    #expect(times.allSatisfy { (-Files.latestModified...Files.latestModified).contains($0) })
    #expect(
      try await disk.store(Self.result(2), for: "k2", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
        == .stored(evicted: 1))
    #expect(Self.number(disk.read("k2")) == 2)
  }

  /// Finding 4 of the issue-19 adversarial test: a reader allocated a whole entry file (a 3 GiB
  /// sparse file, with a large `--cache-max-bytes`) before checking its header, and aborted. Here a
  /// 1 TiB sparse file, no memory could hold, is rejected from its header.
  @Test func aHugeFileThatIsNotAnEntryIsRejectedFromItsHeader() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir, maxBytes: 1 << 41)
    let fd = open(disk.path(for: "k"), O_WRONLY | O_CREAT | O_EXCL, 0o600)
    try #require(fd >= 0)
    try #require(ftruncate(fd, 1 << 40) == 0)
    close(fd)
    guard case .rejected(.notAnEntry) = disk.read("k") else {
      Issue.record("the huge file was not rejected")
      return
    }
  }

  /// A file larger than the byte bound is no entry a store wrote: it is not read at all.
  @Test func aFileLargerThanTheBoundIsNotRead() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir, maxBytes: 1 << 10)
    #expect(
      try await disk.store(Self.result(1), for: "k", storedAt: 5, expiresAt: 9, lockWait: .seconds(60))
        == .stored(evicted: 0))
    let fd = open(disk.path(for: "k"), O_WRONLY)
    try #require(fd >= 0)
    try #require(ftruncate(fd, 1 << 10 + 1) == 0)
    close(fd)
    guard case .missing = disk.read("k") else {
      Issue.record("a file larger than the bound was read")
      return
    }
  }

  @Test func theFileBoundHolds() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir, maxEntries: 4)
    for i in 0..<9 {
      _ = try await disk.store(Self.result(i), for: "k\(i)", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    }
    #expect(dir.files("cache/results").count == 4)
    #expect(Self.number(disk.read("k8")) == 8)
  }

  @Test func aResultLargerThanTheBoundIsNotStored() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir, maxBytes: 200)
    #expect(
      try await disk.store(Self.result(1, padding: 300), for: "k", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
        == .tooLarge)
    #expect(dir.files("cache/results").isEmpty)
  }

  @Test func aDeadWritersTemporaryFileIsRemovedByTheNextStore() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    let leftover = dir.path + "/cache/results/" + DiskCache.temporaryPrefix + "entry"
    _ = FileManager.default.createFile(atPath: leftover, contents: Data(repeating: 0x41, count: 1000))
    _ = try await disk.store(Self.result(1), for: "k", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    #expect(dir.files("cache/results") == [disk.fileName(for: "k")])
  }

  @Test func aStoreWaitsForStoreLockAndGivesUpWhenItStaysHeld() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    guard let held = await LockFile.takeForTest(disk.directory.storeLock) else { return }
    #expect(
      try await disk.store(Self.result(1), for: "k", storedAt: 0, expiresAt: 1, lockWait: .milliseconds(30)) == .busy)
    held.release()
    #expect(
      try await disk.store(Self.result(1), for: "k", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
        == .stored(evicted: 0))
  }

  /// Adversary adv1, F9: a `store.lock` held by a stopped process cost every new process a whole
  /// wait. The wait counts from the holder's last sign of life (it touches the lock when it takes
  /// it): a lock held untouched for longer is given up at once, while a live holder is waited for.
  @Test(.timeLimit(.minutes(10))) func aStoreLockHeldUntouchedForLongerThanTheWaitIsGivenUpAtOnce() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    guard let held = await LockFile.takeForTest(disk.directory.storeLock) else { return }
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: disk.directory.storeLock)
    // Waited for 3600 s from now, this would outlast the time limit.
    #expect(
      try await disk.store(Self.result(1), for: "k", storedAt: 0, expiresAt: 1, lockWait: .seconds(3600)) == .busy)
    held.touch()
    let store = Task {
      try await disk.store(Self.result(1), for: "k", storedAt: 0, expiresAt: 1, lockWait: .seconds(600))
    }
    try await Task.sleep(for: .milliseconds(30))
    held.release()
    #expect(try await store.value == .stored(evicted: 0))
    // Whoever takes the lock touches it.
    #expect(Files.untouched(disk.directory.storeLock) < .seconds(60))
  }

  @Test func directoriesAreMode0700AndEntries0600() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    _ = try await disk.store(Self.result(1), for: "k", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    for sub in ["cache", "cache/results", "cache/flights", "cache/budgets"] {
      #expect(try dir.permissions(sub) == 0o700, "\(sub)")
    }
    #expect(try dir.permissions("cache/results/" + disk.fileName(for: "k")) == 0o600)
  }

  @Test func anExistingDirectoryOpenToOthersIsMadePrivate() throws {
    let dir = try TemporaryDirectory()
    try FileManager.default.createDirectory(atPath: dir.path + "/open", withIntermediateDirectories: false)
    chmod(dir.path + "/open", 0o755)
    try CacheDirectory(path: dir.path + "/open").prepare()
    #expect(try dir.permissions("open") == 0o700)
  }

  @Test func aFileWhereTheDirectoryShouldBeIsRefused() throws {
    let dir = try TemporaryDirectory()
    _ = FileManager.default.createFile(atPath: dir.path + "/file", contents: Data())
    #expect(throws: Files.DirectoryError.notADirectory(path: dir.path + "/file")) {
      try CacheDirectory(path: dir.path + "/file").prepare()
    }
  }

  /// A symbolic link at `results/` (or `flights/`, `budgets/`) is refused, not followed: eviction
  /// and `--cache-clear` delete files there, and must not delete in the link's target.
  @Test func aSymbolicLinkAtASubdirectoryIsRefusedAndItsTargetLeftAlone() async throws {
    let dir = try TemporaryDirectory()
    let directory = CacheDirectory(path: dir.path + "/cache")
    try directory.prepare()
    let elsewhere = dir.path + "/elsewhere"
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
    let precious = elsewhere + "/" + String(repeating: "a", count: 64)
    _ = FileManager.default.createFile(atPath: precious, contents: Data("keep".utf8))
    for sub in [directory.results, directory.flights, directory.budgets] {
      try FileManager.default.removeItem(atPath: sub)
      try FileManager.default.createSymbolicLink(atPath: sub, withDestinationPath: elsewhere)
      #expect(!directory.isWhole)
      #expect(throws: Files.DirectoryError.symbolicLink(path: sub)) { try directory.prepare() }
      guard case .refused(let reason) = try await SharedCache.clear(directory) else {
        Issue.record("--cache-clear went through a symbolic link at \(sub)")
        return
      }
      #expect(reason.contains("symbolic link"))
      try FileManager.default.removeItem(atPath: sub)
      try directory.prepare()
    }
    #expect(FileManager.default.fileExists(atPath: precious))
  }

  /// Adversary adv1, F1: a store or `--cache-clear` that waits for `store.lock` while `results/` and
  /// `flights/` are swapped for symbolic links writes and deletes nothing in the links' target:
  /// both open the directories once they hold the lock, not through links.
  @Test func directoriesSwappedForLinksDuringTheLockWaitAreNotFollowed() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    _ = try await disk.store(Self.result(1), for: "k", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    let elsewhere = dir.path + "/elsewhere"
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
    let precious = ["notes.md", String(repeating: "b", count: 64), DiskCache.temporaryPrefix + "entry"]
    for name in precious {
      _ = FileManager.default.createFile(atPath: elsewhere + "/" + name, contents: Data("x".utf8))
    }
    func swapForLinks() throws {
      for sub in [disk.directory.results, disk.directory.flights] {
        try FileManager.default.moveItem(atPath: sub, toPath: sub + ".real")
        try FileManager.default.createSymbolicLink(atPath: sub, withDestinationPath: elsewhere)
      }
    }
    func restore() throws {
      for sub in [disk.directory.results, disk.directory.flights] {
        try FileManager.default.removeItem(atPath: sub)
        try FileManager.default.moveItem(atPath: sub + ".real", toPath: sub)
      }
    }
    // A store.
    guard let held = await LockFile.takeForTest(disk.directory.storeLock) else { return }
    let store = Task {
      try await disk.store(Self.result(2), for: "k2", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    }
    try await Task.sleep(for: .milliseconds(20))
    try swapForLinks()
    held.release()
    #expect(try await store.value == .failed)
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: elsewhere)) == Set(precious))
    try restore()
    // A clear (it checks the directories first, then waits for the lock).
    guard let heldAgain = await LockFile.takeForTest(disk.directory.storeLock) else { return }
    let clear = Task { try await SharedCache.clear(disk.directory) }
    try await Task.sleep(for: .milliseconds(20))
    try swapForLinks()
    heldAgain.release()
    _ = try await clear.value
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: elsewhere)) == Set(precious))
    try restore()
    #expect(dir.files("cache/results") == [disk.fileName(for: "k")])
  }

  /// `--cache-clear` removes only the lock files of `flights/` (SHA-256 names), never a file of
  /// another name there.
  @Test func clearLeavesFilesOfOtherNamesInFlights() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    _ = FileManager.default.createFile(atPath: disk.directory.flights + "/notes.md", contents: Data())
    _ = FileManager.default.createFile(
      atPath: disk.directory.flights + "/" + String(repeating: "c", count: 64), contents: Data())
    _ = try await SharedCache.clear(disk.directory)
    #expect(dir.files("cache/flights") == ["notes.md"])
  }

  /// Only the cache's own files in `results/` (SHA-256 names, temporaries) are counted, evicted or
  /// cleared; a file the user put there stays.
  @Test func filesOfOtherNamesInResultsAreLeftAlone() async throws {
    let dir = try TemporaryDirectory()
    let entrySize = CacheEntry.headerSize + 2 + Self.result(0, padding: 200).count
    let disk = try Self.disk(dir, maxBytes: entrySize * 2, maxEntries: 2)
    let names = ["notes.txt", String(repeating: "A", count: 64), String(repeating: "a", count: 63)]
    for name in names {
      _ = FileManager.default.createFile(atPath: disk.directory.results + "/" + name, contents: Data(count: 100))
    }
    for i in 0..<5 {
      _ = try await disk.store(
        Self.result(i, padding: 200), for: "k\(i)", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    }
    #expect(Set(dir.files("cache/results")).isSuperset(of: names))
    #expect(disk.bytesOnDisk <= entrySize * 2)
    guard case .removed(files: let files, _) = try await SharedCache.clear(disk.directory) else {
      Issue.record("not cleared")
      return
    }
    #expect(files >= 1)
    #expect(Set(dir.files("cache/results")) == Set(names))
  }

  @Test func clearRemovesEveryEntryAndUnheldLockFiles() async throws {
    let dir = try TemporaryDirectory()
    let disk = try Self.disk(dir)
    for i in 0..<3 {
      _ = try await disk.store(Self.result(i), for: "k\(i)", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
    }
    let (stale, heldName) = (disk.fileName(for: "stale"), disk.fileName(for: "held"))
    _ = FileManager.default.createFile(atPath: disk.directory.flights + "/" + stale, contents: Data())
    guard let held = await LockFile.takeForTest(disk.directory.flights + "/" + heldName) else { return }
    defer { held.release() }
    guard case .removed(files: 3, _) = try await SharedCache.clear(disk.directory) else {
      Issue.record("not cleared")
      return
    }
    #expect(dir.files("cache/results").isEmpty)
    #expect(dir.files("cache/flights") == [heldName])
    #expect(try await SharedCache.clear(CacheDirectory(path: dir.path + "/never-made")) == .noCache)
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/never-made"))
  }

  /// Many writers at once (tasks here; processes in the end-to-end crash test): the bound holds
  /// after every store, and every entry reads back whole.
  @Test func concurrentWritersKeepTheBound() async throws {
    let dir = try TemporaryDirectory()
    let entrySize = CacheEntry.headerSize + 3 + Self.result(0, padding: 500).count
    let bound = entrySize * 5
    let disk = try Self.disk(dir, maxBytes: bound)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<4 {
        group.addTask {
          for i in 0..<25 {
            let n = writer * 100 + i
            _ = try await disk.store(
              Self.result(n, padding: 500), for: "k\(n % 20)", storedAt: 0, expiresAt: 1, lockWait: .seconds(60))
          }
        }
      }
      try await group.waitForAll()
    }
    #expect(disk.bytesOnDisk <= bound)
    for i in 0..<20 {
      if case .rejected(let defect) = disk.read("k\(i)") { Issue.record("k\(i) rejected: \(defect)") }
    }
  }
}
