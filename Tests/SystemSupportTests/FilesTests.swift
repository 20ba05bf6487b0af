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
}
