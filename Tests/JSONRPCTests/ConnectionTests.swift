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
    #expect(h.messages[1]["id"] == .null)  // two ids: which one?
    #expect(h.messages[3]["id"] == 9)
    #expect(JSONWriter.string(h.messages[5]["result"]!) == "[1e400]")
  }

  /// Contract §3, the -32700 row: a request whose id was readable is answered with that id
  /// whatever else is wrong with it; an id that is cut off, repeated or not an id stays `null`.
  @Test func aReadableIDIsAnsweredWhateverElseIsWrong() async throws {
    let (h, _) = harness(.ndjson)
    let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
    let lines = [
      #"{"jsonrpc":"2.0","id":11,"method":"echo","params":{"a":1,}}"#,  // syntax error after the id
      #"{"jsonrpc":"2.0","id":"s-12","method":"echo","method":"echo"}"#,  // a repeated key
      #"{"jsonrpc":"2.0","id":13,"method":"echo","params":\#(deep)}"#,  // nesting past the limit
      #"{"params":{"x":["}",{"y":"\""}]},"id":14,"method":"echo",oops}"#,  // brackets in strings
      #"{"jsonrpc":"2.0","\u0069d":15,"method":"echo",}"#,  // an escaped member name
      #"{"jsonrpc":"2.0","id":16}x"#,  // trailing data: the object may not end there
      #"{"jsonrpc":"2.0","method":"echo","params":{"q":1},"id":3},"id":7}"#,  // a nested id lifted up
      #"{"jsonrpc":"2.0","id":12"#,  // cut off in the id: maybe 123
      #"{"jsonrpc":"2.0","id":1,3,"method":"echo"}"#,  // damage right after the id
      #"{"jsonrpc":"2.0","id":7,"id":8,"method":"echo",}"#,  // which one?
      #"{"jsonrpc":"2.0","id":{"a":1},"method":"echo",}"#,  // not an id
      #"{"jsonrpc":"2.0","id":"\ud800","method":"echo",}"#,  // a lone surrogate
      #"{"jsonrpc":"2.0","method":"echo" "id":17}"#,  // damage before the id
      #"[{"jsonrpc":"2.0","id":18,"method":"echo"},]"#,  // a batch: no single id
    ]
    for line in lines { h.sendRaw(line + "\n") }
    await h.waitFor { $0.count == lines.count }
    let answers = h.messages.map { "\(JSONWriter.string($0["id"] ?? .null)) \($0["error"]?["code"]?.intValue ?? 0)" }
    #expect(
      answers == [
        "11 -32700", #""s-12" -32600"#, "13 -32700", "14 -32700", "15 -32700", "null -32700", "null -32700",
        "null -32700", "null -32700", "null -32600", "null -32700", "null -32700", "null -32700",
        "null -32700",
      ])
  }

  /// JSON-RPC 2.0 §6: a batch that is JSON is answered with one response per element. An element
  /// that repeats a member name (anywhere in it) is -32600 with its id when readable — not when
  /// `id` is the name repeated — and the batch's other elements are answered as usual. Before,
  /// the whole batch was one -32600 with id null.
  @Test func aBatchElementThatRepeatsAKeyIsInvalidAlone() async throws {
    let (h, _) = harness(.ndjson)
    h.sendRaw(
      #"[{"jsonrpc":"2.0","id":1,"method":"echo","method":"echo"},{"jsonrpc":"2.0","id":2,"method":"echo","params":[2]},"#
        + #"{"jsonrpc":"2.0","id":3,"id":4,"method":"echo"},{"jsonrpc":"2.0","id":5,"method":"echo","params":{"a":1,"a":1}},"#
        + #"{"jsonrpc":"2.0","method":"note","method":"note"}]"# + "\n")
    await h.waitFor { $0.count >= 1 }
    let batch = try #require(h.messages.first?.arrayValue, "\(h.messages)")
    let answers = Set(batch.map { "\(JSONWriter.string($0["id"] ?? .null)) \($0["error"]?["code"]?.intValue ?? 0)" })
    #expect(answers == ["1 -32600", "2 0", "null -32600", "5 -32600"], "\(batch)")
    #expect(batch.count == 5, "\(batch)")  // the notification that repeats a key is -32600 too, id null
    #expect(batch.first { $0["id"] == 2 }?["result"] == [2])
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
    handler.releaseSpin()
    #expect(await handler.waitUntilFinished(2))  // the spinner has returned: its answer is not sent
    _ = await h.call("after", "echo")
    #expect(h.messages.count == 3, "\(h.messages)")
  }

  /// A cancellation sent with an id is the notification it names, answered `null` (as `exit` with
  /// an id is), not "method not found" for a method the server knows.
  @Test func aCancellationSentWithAnIDCancelsAndIsAnsweredNull() async throws {
    let (h, handler) = harness()
    h.request(1, "sleep", ["ms": 3_600_000])
    await handler.waitUntilStarted(1)
    h.request("c", "$/cancelRequest", ["id": 1])
    h.request("w", "window/workDoneProgress/cancel", ["token": "nobody's"])
    await h.waitFor { $0.count == 3 }
    #expect(h.responses(1).first?["error"]?["code"] == -32800)
    #expect(h.responses("c").map { $0["result"] } == [.null])
    #expect(h.responses("w").map { $0["result"] } == [.null])
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
      $0.shutdownGrace = .seconds(60)
    }
    h.request("running", "gate")
    h.request("queued", "echo")
    await handler.waitUntilStarted(1)
    h.notify("$/cancelRequest", ["id": "queued"])
    #expect(await h.response("queued")?["error"]?["code"] == -32800)
    h.request("stop", "shutdown")
    #expect(await waitUntil { handler.shutdownCalls.withLock { $0 } == 1 })  // at once, every slot taken
    #expect(h.responses("stop").isEmpty)  // the request in flight has its grace first
    #expect(handler.started.withLock { $0 } == 1)  // the cancelled one never ran
    handler.openGate()
    #expect(await h.response("running")?["result"] == "opened")
    #expect(await h.response("stop")?["result"] == .null)
    let order = h.messages.compactMap { $0["id"]?.stringValue }
    #expect(order == ["queued", "running", "stop"])
  }

  /// Contract §4: after `shutdown` every request is -32600, the notifications sent with an id
  /// included: the transport's cancellations and the handler's own (`note` here, `initialized` in
  /// the server). Before it, the handler's notification sent with an id is done and answered `null`.
  @Test func notificationsSentWithAnIDAfterShutdownAreInvalid() async throws {
    let (h, handler) = harness()
    #expect(await h.call("n", "note")?["result"] == .null)
    #expect(await waitUntil { handler.notifications.withLock { $0 } == ["note"] })
    #expect(await h.call("stop", "shutdown")?["result"] == .null)
    h.request(5, "$/cancelRequest", ["id": 1])
    h.request(6, "window/workDoneProgress/cancel", ["token": 1])
    h.request(7, "note")
    h.request(8, "echo")
    h.send(
      #"[{"jsonrpc":"2.0","id":9,"method":"$/cancelRequest","params":{"id":1}},{"jsonrpc":"2.0","method":"note"}]"#)
    await h.waitFor { $0.count >= 7 }
    for id in 5...8 {
      #expect(h.responses(.number(JSONNumber(id))).map { $0["error"]?["code"] } == [-32600], "id \(id): \(h.messages)")
    }
    #expect(h.messages.last?.arrayValue?.map { $0["error"]?["code"] } == [-32600], "\(h.messages)")
    h.notify("exit")
    #expect(await h.waitForExit() == 0)
  }

  /// Contract §4: a request still running when the grace ends is answered -32802 (its owed `end`
  /// first), and then `shutdown` `null`; a second `shutdown`, and any other request, is -32600.
  @Test(arguments: [Framing.lsp, .ndjson])
  func shutdownAnswersWhatOutlivesTheGrace(framing: Framing) async throws {
    let (h, handler) = harness(framing) { $0.shutdownGrace = .milliseconds(200) }
    h.request(1, "progress", ["workDoneToken": "w"])
    await handler.waitUntilStarted(1)
    h.request(3, "shutdown")
    h.request(4, "shutdown")
    h.request(5, "echo")
    #expect(await h.response(3)?["result"] == .null)
    // Answered by the reader as it reads them, which need not be before the grace ends.
    _ = await h.response(4)
    _ = await h.response(5)
    let kinds = h.messages.map { m -> String in
      if let kind = m["params"]?["value"]?["kind"]?.stringValue { return kind }
      return "\(m["id"]?.intValue ?? -1):\(m["error"]?["code"]?.intValue ?? 0)"
    }
    #expect(h.responses(4).map { $0["error"]?["code"] } == [-32600])
    #expect(h.responses(5).map { $0["error"]?["code"] } == [-32600])
    #expect(
      Array(kinds.filter { !["4:-32600", "5:-32600"].contains($0) }.drop { $0 != "end" }) == ["end", "1:-32802", "3:0"])
    h.notify("exit")
    #expect(await h.waitForExit() == 0)
  }

  /// Requests that finish within the grace are answered as usual, and before `shutdown`'s `null`.
  @Test func requestsThatFinishWithinTheGraceAreAnsweredBeforeShutdown() async throws {
    let (h, handler) = harness { $0.shutdownGrace = .seconds(60) }
    h.request(1, "gate")
    h.request(2, "gate")
    await handler.waitUntilStarted(2)
    h.request(3, "shutdown")
    #expect(await waitUntil { handler.shutdownCalls.withLock { $0 } == 1 })
    h.request(4, "echo")
    #expect(await h.response(4)?["error"]?["code"] == -32600)
    #expect(h.responses(3).isEmpty)
    handler.openGate()
    #expect(await h.response(3)?["result"] == .null)
    #expect(h.messages.compactMap { $0["id"]?.intValue }.suffix(3).sorted() == [1, 2, 3])
    #expect(h.messages.last?["id"] == 3)
    #expect(h.responses(1).first?["result"] == "opened")
    #expect(h.responses(2).first?["result"] == "opened")
  }

  /// `exit` without `shutdown`: what is in flight is answered -32802, then exit code 1. An `exit`
  /// with an id is the same `exit`, answered `null`.
  @Test func exitAnswersWhatIsInFlightAndAnExitWithAnIdIsAnsweredNull() async throws {
    let (h, handler) = harness()
    h.request(1, "gate")
    await handler.waitUntilStarted(1)
    h.request(2, "exit")
    #expect(await h.waitForExit() == 1)
    #expect(h.messages.compactMap { $0["id"]?.intValue } == [1, 2])
    #expect(h.responses(1).first?["error"]?["code"] == -32802)
    #expect(h.responses(2).first?["result"] == .null)
  }

  /// An `exit` inside a batch: the batch's requests are answered (one array), then the process exits.
  @Test func batchWithExitInsideIsAnsweredThenExits() async throws {
    // A long grace: the batch's requests finish well within it however loaded the machine is.
    let (h, _) = harness(.ndjson) { $0.shutdownGrace = .seconds(60) }
    h.sendRaw(
      #"[{"jsonrpc":"2.0","id":1,"method":"sleep","params":{"ms":50}},{"jsonrpc":"2.0","method":"exit"},"#
        + #"{"jsonrpc":"2.0","id":2,"method":"echo"}]"# + "\n" + #"{"jsonrpc":"2.0","id":3,"method":"echo"}"# + "\n")
    #expect(await h.waitForExit() == 1)
    #expect(h.messages.count == 1)
    let batch = h.messages.first?.arrayValue ?? []
    #expect(Set(batch.compactMap { $0["id"]?.intValue }) == [1, 2])
    #expect(batch.allSatisfy { $0["result"] != nil })
  }

  /// `initialize` is a barrier: what is read after it is handled after it, every time. Call `i`
  /// sees initialize `i` or a later one (a later `initialize` does not wait for the calls before
  /// it, contract §4), never an earlier one.
  @Test(arguments: [Framing.lsp, .ndjson])
  func initializeIsABarrier(framing: Framing) async throws {
    let (h, _) = harness(framing)
    var text: [UInt8] = []
    for i in 0..<300 {
      text += FrameEncoder.frame(
        body: Array(#"{"jsonrpc":"2.0","id":"i\#(i)","method":"initialize","params":{"value":\#(i)}}"#.utf8),
        framing: framing)
      text += FrameEncoder.frame(
        body: Array(#"{"jsonrpc":"2.0","id":\#(i),"method":"initialized?"}"#.utf8), framing: framing)
    }
    h.sendRaw(text)
    // Each `initialize` holds the reader until a task of the shared pool has run it: 300 in a row
    // take long on a loaded machine under ThreadSanitizer (the wait only bounds a hang).
    #expect(await h.waitFor(timeout: defaultTimeout * 5) { $0.count == 600 })
    let wrong = (0..<300).filter { (h.responses(.number(JSONNumber($0))).first?["result"]?.intValue ?? -1) < $0 }
    #expect(wrong.isEmpty, "calls that did not see the initialize before them: \(wrong.prefix(10))")
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
    let (h, _) = harness(.ndjson) { $0.shutdownGrace = .seconds(60) }  // the sleep ends within it
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
    // A drain deadline no run reaches: the requests and the inputClosed hook always finish first.
    let (h, handler) = harness(.ndjson) { $0.drainTimeout = .seconds(3600) }
    for i in 0..<20 { h.request(.number(JSONNumber(i)), "sleep", ["ms": .number(JSONNumber(100 + i * 5))]) }
    h.closeInput()
    #expect(await h.waitForExit() == 0)
    #expect(h.messages.count == 20)
    #expect(h.messages.allSatisfy { $0["result"] == "slept" })
    #expect(handler.inputClosedCalls.withLock { $0 } == 1)
  }

  @Test func drainTimeoutAnswersWhatIsLeftWithServerCancelled() async throws {
    let (h, _) = harness { $0.drainTimeout = .milliseconds(200) }
    h.request(1, "sleep", ["ms": 3_600_000])
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
  /// 1,000 requests of ~340 bytes each way are five times what the pipes (64 KiB each), the
  /// reader's chunk (64 KiB) and the output bound (4 KiB) hold. With 4 running and 4 queued,
  /// progress goes at the pace the shared pool runs one request after another, which a test run
  /// under ThreadSanitizer on a loaded machine slows down a lot: the wait is long (it only
  /// bounds a deadlock), not the work.
  @Test func backpressureWithTinyLimitsLosesNothing() async throws {
    let (h, _) = harness(.ndjson) {
      $0.maxInFlight = 4
      $0.maxQueued = 4
      $0.maxOutputBytes = 4096
    }
    let payload = String(repeating: "y", count: 300)
    var text = ""
    let count = 1000
    for i in 0..<count { text += #"{"jsonrpc":"2.0","id":\#(i),"method":"echo","params":["\#(payload)"]}"# + "\n" }
    let bytes = Array(text.utf8)
    // Write from a plain thread, as a client process would: a blocking write must not occupy
    // one of the few threads of Swift's cooperative pool.
    Thread { h.sendRaw(bytes) }.start()
    #expect(await h.waitFor(timeout: defaultTimeout * 5) { $0.count == count })
    #expect(Set(h.messages.compactMap { $0["id"]?.intValue }).count == count)
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

  @Test func cancellationWritesTheProgressEndFirstAndOnce() async throws {
    let (h, handler) = harness()
    h.request(1, "progress", ["workDoneToken": "t1"])
    await handler.waitUntilStarted(1)
    await h.waitFor { $0.count == 2 }  // begin, report
    h.notify("$/cancelRequest", ["id": 1])
    h.notify("$/cancelRequest", ["id": 1])
    await h.waitFor { $0.count == 4 }
    h.request(2, "echo")  // anything late for request 1 would come before this answer
    _ = await h.response(2)
    let kinds = h.messages.map { $0["params"]?["value"]?["kind"]?.stringValue ?? "response" }
    #expect(kinds == ["begin", "report", "end", "response", "response"])
    try #require(h.messages.count >= 4)
    #expect(h.messages[2]["params"]?["value"]?["message"] == "cancelled")
    #expect(h.messages[3]["error"]?["code"] == -32800)
  }

  /// `window/workDoneProgress/cancel` cancels the request that owns the token, like `$/cancelRequest`.
  @Test func workDoneProgressCancelCancelsItsRequest() async throws {
    let (h, handler) = harness(.ndjson)
    h.request(1, "progress", ["workDoneToken": 7])
    h.request(2, "progress", ["workDoneToken": "other"])
    await handler.waitUntilStarted(2)
    h.notify("window/workDoneProgress/cancel", ["token": 7])
    #expect(await h.response(1)?["error"]?["code"] == -32800)
    #expect(h.responses(2).isEmpty)
    h.notify("window/workDoneProgress/cancel", ["token": "other"])
    #expect(await h.response(2)?["error"]?["code"] == -32800)
  }

  /// Contract §7: a flood of `shutdown`s (every answer after the first is -32600) while the client
  /// does not read: the server stops reading once its output bound is full, instead of holding
  /// answers without bound; when the client reads, every request is answered once.
  @Test func aShutdownFloodIsHeldByTheOutputBound() async throws {
    let handler = TestHandler()
    var configuration = ConnectionConfiguration()
    configuration.maxOutputBytes = 4096
    let h = PipeHarness(framing: .ndjson, configuration: configuration, handler: handler, readingOutput: false)
    let count = 10_000
    var text: [UInt8] = []
    for i in 0..<count { text += Array(#"{"jsonrpc":"2.0","id":\#(i),"method":"shutdown"}"#.utf8) + [0x0A] }
    let sent = await h.sendUntilTheServerStopsReading(text)
    // About 80 bytes of answer per 48-byte request: 4 KiB of queued output, the two pipes' 64 KiB
    // buffers and the reader's 64 KiB chunk hold about 3,000 requests, not 10,000.
    #expect(sent < text.count / 2, "the server read \(sent) of \(text.count) bytes with nobody reading its output")
    h.startReadingOutput()
    let rest = Array(text[sent...])
    Thread { h.sendRaw(rest) }.start()
    #expect(await h.waitFor(timeout: .seconds(120)) { $0.count == count })
    #expect(h.messages.first { $0["result"] != nil }?["id"] == 0)
    #expect(h.messages.filter { $0["error"]?["code"] == -32600 }.count == count - 1)
  }

}
