import JSON
import TestSupport
import Testing

@testable import JSONRPC

/// ``RequestHandler/answerAtOnce(_:load:)``: what the handler answers on the reader thread gets
/// exactly one response, and only where the rules of the normal path cannot tell the difference
/// (contract §3 duplicate ids, §4 `shutdown`, §8 progress tokens, batches).
@Suite struct AnswerAtOnceTests {
  func harness(configure: (inout ConnectionConfiguration) -> Void = { _ in }) -> (PipeHarness, TestHandler) {
    var configuration = ConnectionConfiguration()
    configure(&configuration)
    let handler = TestHandler()
    return (PipeHarness(framing: .ndjson, configuration: configuration, handler: handler), handler)
  }

  @Test func answeredWithoutATaskAndWithTheLoadOfTheOthers() async throws {
    let (h, handler) = harness()
    h.request("slow", "gate")
    #expect(await handler.waitUntilStarted(1))
    let quick = await h.call(1, "quick")
    #expect(quick?["result"] == ["atOnce": true, "running": 1, "queued": 0])
    let failed = await h.call(2, "quick-fail")
    #expect(failed?["error"] == ["code": -32602, "message": "refused at once"])
    #expect(handler.answeredAtOnce.withLock { $0 } == 2)
    #expect(handler.started.withLock { $0 } == 1)  // only the gate ran in a task
    #expect(h.responses("slow").isEmpty)
    handler.openGate()
    #expect(await h.response("slow")?["result"] == "opened")
    #expect(h.messages.count == 3)
  }

  @Test func aDuplicateIdInFlightIsStillMinus32600() async throws {
    let (h, handler) = harness()
    h.request(1, "gate")
    #expect(await handler.waitUntilStarted(1))
    h.request(1, "quick")
    await h.waitFor { $0.count == 1 }
    try #require(h.messages.count >= 1)
    #expect(h.messages[0]["error"]?["code"] == -32600)
    #expect(handler.answeredAtOnce.withLock { $0 } == 0)
    handler.openGate()
    await h.waitFor { $0.count == 2 }
    try #require(h.messages.count >= 2)
    #expect(h.messages[1]["result"] == "opened")
    // Once answered, the id is free again: answered at once.
    h.request(1, "quick")
    await h.waitFor { $0.count == 3 }
    #expect(h.messages.last?["result"]?["atOnce"] == true)
    #expect(handler.answeredAtOnce.withLock { $0 } == 1)
  }

  @Test(arguments: ["workDoneToken", "partialResultToken"])
  func aRequestWithAProgressTokenGoesTheNormalWay(token: String) async throws {
    let (h, handler) = harness()
    #expect(await h.call(1, "quick", .object([token: "t-1"]))?["result"] == ["atOnce": false])
    #expect(await h.call(2, "quick", .object([token: 7]))?["result"] == ["atOnce": false])
    // Not a token by LSP's definition (neither a string nor an integer): as without one.
    #expect(await h.call(3, "quick", .object([token: ["x": 1]]))?["result"]?["atOnce"] == true)
    #expect(handler.answeredAtOnce.withLock { $0 } == 1)
  }

  @Test func aBatchMemberIsAnsweredInTheBatchArray() async throws {
    let (h, handler) = harness()
    h.sendRaw(
      #"[{"jsonrpc":"2.0","id":1,"method":"quick"},{"jsonrpc":"2.0","id":2,"method":"echo","params":[2]},"#
        + #"{"jsonrpc":"2.0","id":3,"method":"quick-fail"}]"# + "\n")
    h.sendRaw(#"[{"jsonrpc":"2.0","id":4,"method":"quick"}]"# + "\n")
    await h.waitFor { $0.count == 2 }
    h.request("after", "echo")
    _ = await h.response("after")
    let arrays = h.messages.compactMap(\.arrayValue)
    #expect(arrays.count == 2)
    let three = try #require(arrays.first { $0.count == 3 })
    #expect(three.first { $0["id"] == 1 }?["result"]?["atOnce"] == true)
    #expect(three.first { $0["id"] == 2 }?["result"] == [2])
    #expect(three.first { $0["id"] == 3 }?["error"]?["code"] == -32602)
    let one = try #require(arrays.first { $0.count == 1 })
    #expect(one[0]["id"] == 4 && one[0]["result"]?["atOnce"] == true)
    #expect(handler.answeredAtOnce.withLock { $0 } == 3)
    #expect(h.messages.count == 3)  // two arrays and the echo: nothing answered twice
  }

  /// Contract §4: what was read before `shutdown` is answered before `shutdown`'s `null`; what
  /// comes after it is -32600, never answered at once.
  @Test func aroundShutdown() async throws {
    let (h, handler) = harness()
    h.sendRaw(
      #"{"jsonrpc":"2.0","id":1,"method":"quick"}"# + "\n" + #"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"# + "\n"
        + #"{"jsonrpc":"2.0","id":3,"method":"quick"}"# + "\n")
    await h.waitFor { $0.count == 3 }
    let ids = h.messages.map { $0["id"] }
    let first = try #require(ids.firstIndex(of: 1))
    let shutdown = try #require(ids.firstIndex(of: 2))
    #expect(first < shutdown)
    #expect(h.responses(1).first?["result"]?["atOnce"] == true)
    #expect(h.responses(2).first?["result"] == .null)
    #expect(h.responses(3).first?["error"]?["code"] == -32600)
    #expect(handler.answeredAtOnce.withLock { $0 } == 1)
    h.notify("exit")
    #expect(await h.waitForExit() == 0)
  }

  /// Contract §4: `initialize` is a barrier for what is answered at once too.
  @Test func afterInitialize() async throws {
    let (h, handler) = harness()
    h.sendRaw(
      #"{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"value":1}}"# + "\n"
        + #"{"jsonrpc":"2.0","id":1,"method":"quick"}"# + "\n")
    await h.waitFor { $0.count == 2 }
    #expect(h.messages.map { $0["id"] } == ["init", 1])
    #expect(handler.answeredAtOnce.withLock { $0 } == 1)
  }
}
