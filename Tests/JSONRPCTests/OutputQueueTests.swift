import Foundation
import JSON
import SystemSupport
import TestSupport
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

  /// The reader's hold (issue 17): what it holds is written whole and in order when it releases
  /// it, and the release never blocks the reader on a pipe the client does not read (the writer
  /// thread writes it then). Fails by timing out where the reader would block.
  @Test func aReleasedHoldNeverBlocksTheReader() async throws {
    let pipe = Self.stalledPipe()  // 4 KB, not read yet
    defer {
      close(pipe.read)
      close(pipe.write)
    }
    let queue = OutputQueue(fd: pipe.write, maxBytes: 1 << 20, framing: .ndjson)
    queue.start()
    let count = 100  // ~10 KB: more than the pipe takes
    let released = Locked(false)
    Thread {
      queue.holdWakeups()
      for i in 0..<count {
        queue.enqueueBlocking([
          "id": .number(JSONNumber(i)),
          "result": "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz",
        ])
      }
      queue.releaseHeld()
      released.withLock { $0 = true }
    }.start()
    // Polled, not waited for on a thread of the shared pool (other tests need it).
    #expect(await waitUntil { released.withLock { $0 } })
    var lines: [[UInt8]] = []
    var received: [UInt8] = []
    while lines.count < count {
      received += Self.drain(pipe.read, bytes: 1)
      lines = received.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map(Array.init)
    }
    #expect(lines.map { (try? JSONParser.parse($0))?["id"]?.intValue } == (0..<count).map { $0 })
  }

  /// An idle writer and a pipe with room: the reader writes what it held itself, whole and in order.
  @Test func whatIsHeldIsWrittenWholeAtRelease() async throws {
    let pipe = Self.stalledPipe()
    defer {
      close(pipe.read)
      close(pipe.write)
    }
    let queue = OutputQueue(fd: pipe.write, maxBytes: 1 << 20, framing: .lsp)
    queue.start()
    queue.holdWakeups()
    for i in 0..<3 { queue.enqueueBlocking(["id": .number(JSONNumber(i))]) }
    queue.releaseHeld()
    #expect(queue.flush(timeout: .seconds(60)))
    let text = String(decoding: Self.drain(pipe.read, bytes: 3 * 29), as: UTF8.self)
    #expect(text == (0..<3).map { "Content-Length: 8\r\n\r\n{\"id\":\($0)}" }.joined())
  }

  /// A task that must wait for room while the reader holds wake-ups wakes the writer itself: it
  /// does not wait for the release (which would never come here). Fails by timing out.
  @Test func aProducerWaitingForRoomWakesAHeldWriter() async throws {
    var fds: [Int32] = [0, 0]
    precondition(pipe(&fds) == 0)
    defer {
      close(fds[0])
      close(fds[1])
    }
    let queue = OutputQueue(fd: fds[1], maxBytes: 100, framing: .ndjson)
    queue.start()
    queue.holdWakeups()
    let message: JSONValue = ["result": .string(String(repeating: "x", count: 80))]
    let frame = JSONWriter.bytes(message).count + 1
    let producers = Task { for _ in 0..<5 { await queue.enqueue(message) } }
    let written = await waitUntil { queue.bytesWritten >= 5 * frame }
    #expect(written)
    guard written else { return }  // the producers wait for good
    await producers.value
    #expect(Self.drain(fds[0], bytes: 5 * frame).count == 5 * frame)
  }
}
