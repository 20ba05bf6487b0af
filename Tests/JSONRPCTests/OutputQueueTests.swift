import Foundation
import JSON
import Testing

@testable import JSONRPC

#if canImport(Glibc)
  import Glibc
#endif

/// Contract §7: what the server buffers for a client is bounded in bytes, whatever fills it.
@Suite struct OutputQueueTests {
  /// A pipe nobody reads yet, made small so the writer blocks early.
  static func stalledPipe() -> (read: Int32, write: Int32) {
    signal(SIGPIPE, SIG_IGN)  // as the server process does
    var fds: [Int32] = [0, 0]
    precondition(pipe(&fds) == 0)
    #if os(Linux)
      _ = fcntl(fds[1], 1031, 4096)  // F_SETPIPE_SZ (Linux; Glibc does not export the name)
    #endif
    return (fds[0], fds[1])
  }

  static func drain(_ fd: Int32, bytes: Int) -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while out.count < bytes {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      out += buffer[0..<n]
    }
    return out
  }

  /// Many producers (tasks reserving room, and a plain thread) while the client does not read:
  /// the queued and reserved bytes never pass the bound by more than one frame, and once the client
  /// reads, every frame arrives whole.
  @Test func producersWaitWhileTheClientDoesNotRead() async throws {
    let pipe = Self.stalledPipe()
    defer {
      close(pipe.read)
      close(pipe.write)
    }
    let maxBytes = 2000
    let queue = OutputQueue(fd: pipe.write, maxBytes: maxBytes, framing: .ndjson)
    queue.start()
    let message: JSONValue = ["jsonrpc": "2.0", "id": 1, "result": .string(String(repeating: "x", count: 150))]
    let frame = JSONWriter.bytes(message).count + 1
    let count = 200
    let producers = Task {
      await withTaskGroup(of: Void.self) { group in
        for _ in 0..<count / 2 { group.addTask { await queue.enqueue(message) } }
      }
    }
    let blocking = Thread { for _ in 0..<count / 2 { queue.enqueueBlocking(message) } }
    blocking.start()
    var worst = 0
    for _ in 0..<200 {
      let (pending, reserved) = queue.buffered
      worst = max(worst, pending + reserved)
      try await Task.sleep(for: .milliseconds(1))
    }
    #expect(worst > 0)
    #expect(worst <= maxBytes + OutputQueue.frameCost(JSONWriter.bytes(message)), "buffered \(worst) bytes")
    let received = Self.drain(pipe.read, bytes: frame * count)
    await producers.value
    #expect(received.count == frame * count)
    let lines = received.split(separator: 0x0A)
    #expect(lines.count == count)
    #expect(lines.allSatisfy { (try? JSONParser.parse(Array($0))) == message })
  }
}
