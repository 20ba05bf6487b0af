import SystemSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct WriteAllTests {
  /// More than a pipe holds (64 KiB on Linux) arrives whole, and `wrote` accounts for every byte.
  @Test func everyByteArrivesWhole() {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let written = Locked(0)
    let writeEnd = fds[1]
    startThread {
      _ = writeAll(payload, to: writeEnd) { n in written.withLock { $0 += n } }
      close(writeEnd)
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
      if n <= 0 { break }
      received += buffer[0..<n]
    }
    close(fds[0])
    #expect(received == payload)
    #expect(written.withLock { $0 } == payload.count)
  }

  @Test func aClosedReaderIsFalseNotACrash() {
    signal(SIGPIPE, SIG_IGN)
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    close(fds[0])
    #expect(writeAll("lost", to: fds[1]) == false)
    close(fds[1])
    #expect(writeAll([], to: fds[1]) == true)  // nothing to write is not an error
  }
}
