import Foundation
import SystemSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The in-place rewrite the shared rate budget keeps its state with (in its lock file).
@Suite struct FilesTests {
  @Test func overwriteReplacesTheWholeContentAndReadStartsAtTheBeginning() throws {
    let path = FileManager.default.temporaryDirectory.path + "/radar-rpc-files-test-" + UUID().uuidString
    defer { unlink(path) }
    let fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
    try #require(fd >= 0)
    defer { close(fd) }
    #expect(Files.read(descriptor: fd, limit: 100) == [])
    #expect(Array("a longer first state".utf8).withUnsafeBytes { Files.overwrite(descriptor: fd, with: $0) })
    #expect(Files.read(descriptor: fd, limit: 100) == Array("a longer first state".utf8))
    // Shorter: nothing of the longer one is left behind.
    #expect(Array("short".utf8).withUnsafeBytes { Files.overwrite(descriptor: fd, with: $0) })
    #expect(Files.read(descriptor: fd, limit: 100) == Array("short".utf8))
    #expect(Files.read(path, limit: 100) == Array("short".utf8))
    #expect(Files.read(descriptor: fd, limit: 4) == nil)  // more than the limit
  }

  /// Finding 3 of the issue-19 adversarial test: a FIFO where a cache entry should be made the
  /// read block forever (opened without O_NONBLOCK, waiting for a writer); it is refused at once.
  @Test(.timeLimit(.minutes(10))) func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
    let path = FileManager.default.temporaryDirectory.path + "/radar-rpc-files-test-" + UUID().uuidString
    try #require(mkfifo(path, 0o600) == 0)
    defer { unlink(path) }
    #expect(Files.read(path, limit: 100) == nil)
  }

  /// Finding 4 of the issue-19 adversarial test: the whole file was read (memory taken for all of
  /// it) before its header was looked at. The check sees the first bytes and the size first.
  @Test func theCheckSeesTheFirstBytesBeforeTheRestIsRead() throws {
    let path = FileManager.default.temporaryDirectory.path + "/radar-rpc-files-test-" + UUID().uuidString
    let fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
    try #require(fd >= 0)
    defer { unlink(path) }
    defer { close(fd) }
    #expect(Array("header and body".utf8).withUnsafeBytes { Files.overwrite(descriptor: fd, with: $0) })
    struct Refused: Error {}
    var seen: [([UInt8], Int)] = []
    #expect(throws: Refused.self) {
      try Files.read(path, limit: 100, checkingFirst: 6) { (head, size) throws(Refused) in
        seen.append((head, size))
        throw Refused()
      }
    }
    #expect(seen.count == 1 && seen[0].0 == Array("header".utf8) && seen[0].1 == 15)
    #expect(Files.read(path, limit: 100, checkingFirst: 100) { _, _ in } == Array("header and body".utf8))
  }
}
