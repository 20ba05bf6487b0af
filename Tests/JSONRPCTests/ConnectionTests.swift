import Foundation
import JSON
import TestSupport
import Testing

@testable import JSONRPC

@Suite struct ConnectionTests {
  func harness(_ framing: Framing = .lsp, configure: (inout ConnectionConfiguration) -> Void = { _ in })
    -> (PipeHarness, TestHandler)
  {
    var configuration = ConnectionConfiguration()
    configure(&configuration)
    let handler = TestHandler()
    return (PipeHarness(framing: framing, configuration: configuration, handler: handler), handler)
  }

  @Test(arguments: [Framing.lsp, .ndjson])
  func echoInEitherFramingAnswersInTheSameFraming(framing: Framing) async throws {
    let (h, _) = harness(framing)
    h.request(1, "echo", ["x": "é"])
    let response = await h.response(1)
    #expect(response?["result"]?["x"] == "é")
    let text = String(decoding: h.output, as: UTF8.self)
    #expect(text.hasPrefix(framing == .lsp ? "Content-Length: " : "{"))
    h.closeInput()
    #expect(await h.waitForExit() == 0)
  }

  @Test func idsComeBackExactlyAsSent() async throws {
    let (h, _) = harness(.ndjson)
    h.sendRaw(#"{"jsonrpc":"2.0","id":"1","method":"echo"}"# + "\n")
    h.sendRaw(#"{"jsonrpc":"2.0","id":1,"method":"echo"}"# + "\n")
    h.sendRaw(#"{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"echo"}"# + "\n")
    h.sendRaw(#"{"jsonrpc":"2.0","id":null,"method":"echo"}"# + "\n")
    await h.waitFor { $0.count == 4 }
    let text = String(decoding: h.output, as: UTF8.self)
    #expect(text.contains(#""id":"1""#))
    #expect(text.contains(#""id":1,"#))
    #expect(text.contains(#""id":123456789012345678901234567890,"#))
    #expect(text.contains(#""id":null,"result""#))
  }

  @Test func parseErrorsAndInvalidRequestsAreAnsweredAndTheServerGoesOn() async throws {
    let (h, _) = harness(.ndjson)
    h.sendRaw("{not json}\n")
    h.sendRaw(#"{"jsonrpc":"2.0","id":7,"id":8,"method":"echo"}"# + "\n")
    h.sendRaw(String(repeating: "[", count: 10000) + "\n")
    h.sendRaw(#"{"jsonrpc":"2.0","id":9,"method":"echo","params":"str"}"# + "\n")
    h.sendRaw([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D, 0x0A])  // invalid UTF-8 in a key
    h.sendRaw(#"{"jsonrpc":"2.0","id":10,"method":"echo","params":[1e400]}"# + "\n")
    await h.waitFor { $0.count == 6 }
    let codes = h.messages.map { $0["error"]?["code"]?.intValue }
    #expect(codes == [-32700, -32600, -32700, -32600, -32700, nil])
    try #require(h.messages.count >= 6)
    #expect(h.messages[0]["id"] == .null)
    #expect(h.messages[3]["id"] == 9)
    #expect(JSONWriter.string(h.messages[5]["result"]!) == "[1e400]")
  }

  @Test func batches() async throws {
    let (h, _) = harness(.ndjson)
    h.sendRaw(
      #"[{"jsonrpc":"2.0","id":1,"method":"echo","params":[1]},{"jsonrpc":"2.0","method":"note"},"#
        + #"{"jsonrpc":"2.0","id":2,"method":"nope"},5,{"jsonrpc":"2.0","id":3,"method":"sleep","params":{"ms":50}}]"#
        + "\n")
    h.sendRaw("[]\n")
    h.sendRaw(#"[{"jsonrpc":"2.0","method":"note"},{"jsonrpc":"2.0","method":"note"}]"# + "\n")
    h.sendRaw("[1]\n")
    h.request(99, "echo")
    await h.waitFor { $0.count >= 4 }
    h.request("after", "echo")  // answered after everything before it was: nothing else may come
    _ = await h.response("after")
    let all = h.messages.filter { $0["id"] != "after" }
    #expect(all.count == 4)  // the batch, the empty-batch error, [1]'s array, the echo
    guard let batch = all.first(where: { $0.arrayValue?.count == 4 })?.arrayValue else {
      Issue.record("no 4-element batch answer in \(all)")
      return
    }
    #expect(Set(batch.compactMap { $0["id"] }) == [1, 2, 3, .null])
    #expect(batch.first { $0["id"] == 2 }?["error"]?["code"] == -32601)
    #expect(batch.first { $0["id"] == .null }?["error"]?["code"] == -32600)
    #expect(all.contains { $0.objectValue != nil && $0["error"]?["code"] == -32600 && $0["id"] == .null })
    #expect(all.contains { $0.arrayValue?.count == 1 && $0.arrayValue?[0]["error"]?["code"] == -32600 })
  }

  @Test func slowRequestDoesNotHoldBackAFastOne() async throws {
    let (h, handler) = harness()
    h.request("slow", "gate")  // runs until the test opens the gate
    h.request("fast", "echo")
    #expect(await h.response("fast") != nil)
    #expect(h.responses("slow").isEmpty)
    handler.openGate()
    #expect(await h.response("slow")?["result"] == "opened")
  }

  @Test func cancelAnswersMinus32800AtOnce() async throws {
    let (h, handler) = harness()
    h.request(1, "sleep", ["ms": 3_600_000])
    h.request(2, "spin")  // ignores cancellation
    await handler.waitUntilStarted(2)
    let start = Date()
    h.notify("$/cancelRequest", ["id": 1])
    h.notify("$/cancelRequest", ["id": 2])
    h.notify("$/cancelRequest", ["id": 424242])  // unknown: ignored
    await h.waitFor { $0.count == 2 }
    // Measured where the answers arrive, not where this test's task happens to wake up. The
    // bound only tells "at once" from "after the hour-long sleep"; speed is the benchmark's job.
    let bound = defaultTimeout / .seconds(1)
    #expect((h.arrivalTimes.last ?? .distantFuture).timeIntervalSince(start) < bound)
    #expect(h.responses(1).first?["error"]?["code"] == -32800)
    #expect(h.responses(2).first?["error"]?["code"] == -32800, "\(h.messages)")
    handler.spinReleased.withLock { $0 = true }
    #expect(await handler.waitUntilFinished(2))  // the spinner has returned: its answer is not sent
    _ = await h.call("after", "echo")
    #expect(h.messages.count == 3, "\(h.messages)")
  }

  @Test func cancelRacingCompletionGivesExactlyOneAnswer() async throws {
    let (h, handler) = harness(.ndjson)
    var text = ""
    for i in 0..<500 {
      text += #"{"jsonrpc":"2.0","id":\#(i),"method":"echo"}"# + "\n"
      text += #"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":\#(i)}}"# + "\n"
    }
    h.sendRaw(text)
    await h.waitFor { $0.count >= 500 }
    #expect(await handler.waitUntilFinished(500))  // every handler has returned: no answer is owed
    _ = await h.call("after", "echo")
    let ids = h.messages.compactMap { $0["id"]?.intValue }
    #expect(ids.count == 500)
    #expect(Set(ids).count == 500)
    for message in h.messages {
      #expect(message["result"] != nil || message["error"]?["code"] == -32800)
    }
  }

  @Test func inFlightLimitQueuesThenRunsInOrder() async throws {
    let (h, handler) = harness {
      $0.maxInFlight = 2
      $0.maxQueued = 10
    }
    for i in 0..<5 { h.request(.number(JSONNumber(i)), "gate") }
    #expect(await handler.waitUntilStarted(2))
    // Once all five are admitted (two running, three queued), still only two have started.
    #expect(
      await waitUntil {
        let load = handler.lastContext.withLock { $0 }?.load
        return load?.running == 2 && load?.queued == 3
      })
    #expect(handler.started.withLock { $0 } == 2)
    handler.openGate()
    await h.waitFor { $0.count == 5 }
    #expect(handler.started.withLock { $0 } == 5)
  }

  @Test func controlMessagesActAtOnceWhenEverySlotIsTaken() async throws {
    let (h, handler) = harness {
      $0.maxInFlight = 1
      $0.maxQueued = 3
    }
    h.request("running", "gate")
    h.request("queued", "echo")
    await handler.waitUntilStarted(1)
    h.notify("$/cancelRequest", ["id": "queued"])
    #expect(await h.response("queued")?["error"]?["code"] == -32800)
    h.request("stop", "shutdown")
    #expect(await h.response("stop")?["result"] == .null)
    #expect(handler.shutdownCalls.withLock { $0 } == 1)
    #expect(handler.started.withLock { $0 } == 1)  // the cancelled one never ran
    handler.openGate()
    #expect(await h.response("running")?["result"] == "opened")
  }

  @Test func shutdownThenRequestsAreRejectedAndExitIsZero() async throws {
    let (h, _) = harness()
    h.request(1, "shutdown", nil)
    _ = await h.response(1)
    h.request(2, "echo")
    #expect(await h.response(2)?["error"]?["code"] == -32600)
    h.notify("exit")
    #expect(await h.waitForExit() == 0)
  }

  @Test func exitWithoutShutdownIsOne() async throws {
    let (h, _) = harness()
    h.request(1, "echo")
    _ = await h.response(1)
    h.notify("exit")
    #expect(await h.waitForExit() == 1)
  }

  /// A script pipes its whole session at once: `shutdown` and `exit` arrive while a request is
  /// still running. Both answers are still written before the process exits (regression test).
  @Test func exitRightAfterShutdownStillAnswersEverything() async throws {
    let (h, _) = harness(.ndjson)
    h.request(1, "sleep", ["ms": 150])
    h.request(2, "shutdown", nil)
    h.notify("exit")
    h.request(3, "echo")  // after exit: never read
    #expect(await h.waitForExit() == 0)
    #expect(h.responses(1).first?["result"] == "slept")
    #expect(h.responses(2).first?["result"] == .null)
    #expect(h.responses(3).isEmpty)
  }

  @Test func endOfInputDrainsRequestsInFlight() async throws {
    let (h, handler) = harness(.ndjson)
    for i in 0..<20 { h.request(.number(JSONNumber(i)), "sleep", ["ms": .number(JSONNumber(100 + i * 5))]) }
    h.closeInput()
    #expect(await h.waitForExit() == 0)
    #expect(h.messages.count == 20)
    #expect(h.messages.allSatisfy { $0["result"] == "slept" })
    #expect(handler.inputClosedCalls.withLock { $0 } == 1)
  }

  @Test func drainTimeoutAnswersWhatIsLeftWithServerCancelled() async throws {
    let (h, _) = harness { $0.drainTimeout = .milliseconds(200) }
    h.request(1, "sleep", ["ms": 60_000])
    h.request(2, "echo")
    _ = await h.response(2)
    h.closeInput()
    #expect(await h.waitForExit() == 0)
    #expect(h.responses(1).first?["error"]?["code"] == -32802)
  }

  @Test func notificationsPrecedeTheirResponse() async throws {
    let (h, _) = harness()
    h.request(1, "notify")
    _ = await h.response(1)
    let methods = h.messages.map { $0["method"]?.stringValue ?? "response" }
    #expect(methods == ["test/progress", "test/progress", "test/progress", "response"])
  }

  @Test func oversizedFrameIsAnsweredAndTheNextOneWorks() async throws {
    let (h, _) = harness { $0.maxMessageBytes = 1000 }
    h.send(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":[""# + String(repeating: "x", count: 5000) + #""]}"#)
    h.request(2, "echo", [1])
    await h.waitFor { $0.count == 2 }
    try #require(h.messages.count >= 2)
    #expect(h.messages[0]["id"] == .null)
    #expect(h.messages[0]["error"]?["code"] == -32600)
    #expect(h.messages[1]["result"] == [1])
  }

  /// An error that conforms to `ResponseErrorConvertible` chooses its response; any other is -32603.
  @Test func errorsMapToResponses() async throws {
    let (h, _) = harness()
    h.request(1, "fail")
    h.request(2, "crash")
    h.request(3, "nope")
    h.request(4, "fail-plainly")
    await h.waitFor { $0.count == 4 }
    #expect(h.responses(4).first?["error"] == ["code": -32602, "message": "no params here"])
    #expect(h.responses(1).first?["error"]?["code"] == -32001)
    #expect(h.responses(1).first?["error"]?["data"]?["httpStatus"] == 400)
    #expect(h.responses(2).first?["error"]?["code"] == -32603)
    #expect(h.responses(3).first?["error"]?["code"] == -32601)
  }

  @Test func duplicateIdInFlightIsRejected() async throws {
    let (h, handler) = harness()
    h.request(1, "gate")
    h.request(1, "echo")
    await h.waitFor { $0.count == 1 }
    try #require(h.messages.count >= 1)
    #expect(h.messages[0]["error"]?["code"] == -32600)
    handler.openGate()
    await h.waitFor { $0.count == 2 }
    try #require(h.messages.count >= 2)
    #expect(h.messages[1]["result"] == "opened")
  }

  /// A client that writes everything before reading much, with tiny limits everywhere:
  /// every request is still answered (no deadlock between the server's reader and writer).
  @Test func backpressureWithTinyLimitsLosesNothing() async throws {
    let (h, _) = harness(.ndjson) {
      $0.maxInFlight = 4
      $0.maxQueued = 4
      $0.maxOutputBytes = 4096
    }
    let payload = String(repeating: "y", count: 300)
    var text = ""
    for i in 0..<3000 { text += #"{"jsonrpc":"2.0","id":\#(i),"method":"echo","params":["\#(payload)"]}"# + "\n" }
    let bytes = Array(text.utf8)
    // Write from a plain thread, as a client process would: a blocking write must not occupy
    // one of the few threads of Swift's cooperative pool.
    Thread { h.sendRaw(bytes) }.start()
    #expect(await h.waitFor { $0.count == 3000 })
    #expect(Set(h.messages.compactMap { $0["id"]?.intValue }).count == 3000)
  }

  @Test func afterResponseActionsFollowTheResponseAlsoInABatch() async throws {
    let (h, _) = harness(.ndjson)
    h.request(1, "after")
    await h.waitFor { $0.count == 2 }
    #expect(h.messages.map { $0["method"]?.stringValue ?? "response" } == ["response", "test/after"])
    guard h.messages.count == 2 else { return }
    h.sendRaw(
      #"[{"jsonrpc":"2.0","id":2,"method":"after"},{"jsonrpc":"2.0","id":3,"method":"sleep","params":{"ms":100}}]"#
        + "\n")
    await h.waitFor { $0.count == 4 }
    #expect(h.messages.count == 4)
    #expect(h.messages.dropFirst(2).first?.arrayValue?.count == 2)
    #expect(h.messages.last?["method"] == "test/after")
  }

  @Test func cancellationSendsTheEpilogueFirstAndOnce() async throws {
    let (h, handler) = harness()
    h.request(1, "epilogue")
    #expect(await waitUntil { handler.epilogueRegistered.withLock { $0 } })
    h.notify("$/cancelRequest", ["id": 1])
    h.notify("$/cancelRequest", ["id": 1])
    await h.waitFor { $0.count == 2 }
    _ = await h.call("after", "echo")  // the second cancel has been read and acted on
    #expect(h.messages.map { $0["method"]?.stringValue ?? "response" } == ["test/epilogue", "response", "response"])
    try #require(h.messages.count >= 2)
    #expect(h.messages[1]["error"]?["code"] == -32800)
  }
}
