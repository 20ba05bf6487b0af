import Foundation
import JSON
import TestSupport
import Testing

@testable import JSONRPC

/// "Answered" means "queued for output", for every request (contract §3): what waits for the
/// requests in flight — end of input, `shutdown`, `exit` — finds their answers in the output
/// queue, a batch's array included; and an id is free again by the time its answer can be read.
/// Each race is repeated many times: one run loses it only now and then.
@Suite struct AnsweredMeansQueuedTests {
  static let runs = 300

  func harness(configure: (inout ConnectionConfiguration) -> Void = { _ in }) -> (PipeHarness, TestHandler) {
    var configuration = ConnectionConfiguration()
    configure(&configuration)
    let handler = TestHandler()
    return (PipeHarness(framing: .ndjson, configuration: configuration, handler: handler), handler)
  }

  /// Contract §3: end of input writes every answer — a one-call batch's array too (its last member
  /// counted as answered before the array was queued, and end of input closed the output first).
  @Test func aBatchIsWrittenAtEndOfInput() async throws {
    var lost: [Int] = []
    for run in 0..<Self.runs {
      let (h, _) = harness { $0.drainTimeout = .seconds(3600) }
      h.sendRaw(#"[{"jsonrpc":"2.0","id":1,"method":"sleep","params":{"ms":1}}]"# + "\n")
      h.closeInput()
      #expect(await h.waitForExit() == 0)
      if h.messages.count != 1 || h.messages.first?.arrayValue?.first?["result"] != "slept" { lost.append(run) }
    }
    #expect(lost.isEmpty, "runs whose batch array was not written: \(lost.count) of \(Self.runs)")
  }

  /// Contract §4: every answer to a request read before `shutdown` precedes its `null`; `exit`
  /// after it writes them all.
  @Test func aBatchIsAnsweredBeforeShutdown() async throws {
    var wrong: [String] = []
    for run in 0..<Self.runs {
      let (h, _) = harness { $0.shutdownGrace = .seconds(3600) }
      h.sendRaw(
        #"[{"jsonrpc":"2.0","id":1,"method":"sleep","params":{"ms":1}}]"# + "\n"
          + #"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"# + "\n" + #"{"jsonrpc":"2.0","method":"exit"}"# + "\n")
      #expect(await h.waitForExit() == 0)
      let kinds = h.messages.map { $0.arrayValue != nil ? "batch" : "\($0["id"]?.intValue ?? -1)" }
      if kinds != ["batch", "2"] { wrong.append("run \(run): \(kinds)") }
    }
    #expect(wrong.isEmpty, "\(wrong.count) of \(Self.runs) runs: \(wrong.prefix(5))")
  }

  /// Contract §4: `exit` takes effect after everything read before it: a batch read before it is
  /// answered (with its result, or -32802), never lost.
  @Test func aBatchIsAnsweredBeforeExit() async throws {
    var lost: [Int] = []
    for run in 0..<Self.runs {
      let (h, _) = harness()
      h.sendRaw(#"[{"jsonrpc":"2.0","id":1,"method":"echo"}]"# + "\n" + #"{"jsonrpc":"2.0","method":"exit"}"# + "\n")
      #expect(await h.waitForExit() == 1)
      if h.messages.count != 1 || h.messages.first?.arrayValue?.count != 1 { lost.append(run) }
    }
    #expect(lost.isEmpty, "runs whose batch array was not written: \(lost.count) of \(Self.runs)")
  }

  /// JSON-RPC 2.0 asks ids to be unique among requests in flight only: a client that reads each
  /// answer before it sends the next request may use one id for all of them and is never refused
  /// -32600 "already used" (the id used to be freed only after the answer was queued, so the
  /// client could read it and come back first). The client here answers as soon as the answer
  /// arrives (a spin, no sleep), through the three ways a request goes: a task (`echo`), the
  /// handler's answer at once (`quick`), and a batch.
  @Test func anIdReusedOnceItsAnswerIsReadIsNeverRefused() async throws {
    let (h, _) = harness()
    let requests = [
      #"{"jsonrpc":"2.0","id":"x","method":"echo","params":[1]}"#,
      #"{"jsonrpc":"2.0","id":"x","method":"quick"}"#,
      #"{"jsonrpc":"2.0","id":"x","method":"echo","params":[2]}"#,
      #"[{"jsonrpc":"2.0","id":"x","method":"echo","params":[3]}]"#,
    ]
    var sent = 0
    for _ in 0..<(Self.runs * 2) {
      for request in requests {
        h.sendRaw(request + "\n")
        sent += 1
        let deadline = ContinuousClock.now + defaultTimeout
        while h.messages.count < sent, ContinuousClock.now < deadline { await Task.yield() }
      }
    }
    #expect(h.messages.count == sent)
    let refused = h.messages.filter {
      ($0.arrayValue?.first ?? $0)["error"]?["message"]?.stringValue?.contains("already used") == true
    }
    #expect(refused.count == 0, "\(refused.count) of \(sent) requests refused as a duplicate")
    h.closeInput()
    #expect(await h.waitForExit() == 0)
  }
}

/// Contract §3: the server stops reading only when the queue of waiting requests is full. An
/// answer the handler gives at once while output is full (a client that is not reading) waits
/// as a request in flight, so the reader goes on to what follows — a notification here, a
/// `$/cancelRequest` or `exit` in life — instead of blocking on output with nothing in flight.
@Suite struct AnswerAtOnceWhenOutputIsFullTests {
  /// A connection whose output nobody reads yet: 4 KiB of output, room for 20,000 queued requests.
  static func harnessNotRead() -> (PipeHarness, TestHandler) {
    let handler = TestHandler()
    var configuration = ConnectionConfiguration()
    configuration.maxOutputBytes = 4096
    configuration.maxQueued = 20_000
    return (
      PipeHarness(framing: .ndjson, configuration: configuration, handler: handler, readingOutput: false), handler
    )
  }

  @Test func theReaderGoesOnPastAFloodOfAnswersAtOnce() async throws {
    let (h, handler) = Self.harnessNotRead()
    let count = 10_000
    var text: [UInt8] = []
    for i in 0..<count { text += Array(#"{"jsonrpc":"2.0","id":\#(i),"method":"quick"}"#.utf8) + [0x0A] }
    text += Array(#"{"jsonrpc":"2.0","method":"note"}"#.utf8) + [0x0A]
    let sent = await h.sendUntilTheServerStopsReading(text)
    // Before: ~100 bytes of answer per request; 4 KiB of output, the pipes and the reader's chunk
    // held ~2,000 of the 10,000 requests, and the note behind them was never read.
    #expect(sent == text.count, "the server read \(sent) of \(text.count) bytes")
    #expect(await waitUntil { handler.notifications.withLock { $0 } == ["note"] })
    h.startReadingOutput()
    if sent < text.count {
      let rest = Array(text[sent...])
      Thread { h.sendRaw(rest) }.start()
    }
    #expect(await h.waitFor(timeout: .seconds(120)) { $0.count == count })
    #expect(Set(h.messages.compactMap { $0["id"]?.intValue }).count == count)
    #expect(h.messages.allSatisfy { $0["result"]?["atOnce"] == true })
    #expect(handler.answeredAtOnce.withLock { $0 } == count)  // each asked once, never again
    #expect(handler.started.withLock { $0 } == 0)
  }

  /// `$/cancelRequest` acts at once (contract §3) also while output is full: its -32800 is decided
  /// when it is read (the handler's later answer is dropped) and waits for room on its own, so
  /// the reader goes on to what follows.
  @Test func aCancelBehindAFloodIsReadAndActsAtOnce() async throws {
    let (h, handler) = Self.harnessNotRead()
    h.request("S", "gate")
    #expect(await handler.waitUntilStarted(1))
    let count = 10_000
    var text: [UInt8] = []
    for i in 0..<count { text += Array(#"{"jsonrpc":"2.0","id":\#(i),"method":"quick"}"#.utf8) + [0x0A] }
    text += Array(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"S"}}"#.utf8) + [0x0A]
    text += Array(#"{"jsonrpc":"2.0","method":"note"}"#.utf8) + [0x0A]
    let sent = await h.sendUntilTheServerStopsReading(text)
    #expect(sent == text.count, "the server read \(sent) of \(text.count) bytes")
    #expect(await waitUntil { handler.notifications.withLock { $0 } == ["note"] })
    handler.openGate()  // the gate's "opened" comes after the cancel: dropped
    #expect(await handler.waitUntilFinished(1))
    h.startReadingOutput()
    if sent < text.count {
      let rest = Array(text[sent...])
      Thread { h.sendRaw(rest) }.start()
    }
    #expect(await h.waitFor(timeout: .seconds(120)) { $0.count == count + 1 })
    #expect(h.responses("S").map { $0["error"]?["code"] } == [-32800])
    #expect(h.messages.count == count + 1)
  }
}
