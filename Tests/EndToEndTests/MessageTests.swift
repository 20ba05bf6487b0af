import JSON
import TestSupport
import Testing

/// JSON-RPC 2.0 messages: batches, ids returned exactly, invalid request objects (contract §3).
@Suite struct MessageTests {
  static func request(_ id: JSONValue, _ method: String) -> JSONValue {
    ["jsonrpc": "2.0", "id": id, "method": .string(method)]
  }

  /// The batch answer is one array frame with each request's response (any order), none for notifications.
  @Test(arguments: [ServerProcess.Framing.lsp, .ndjson])
  func batchGetsOneArray(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    server.send([
      Self.request(1, "server.stats"),
      ["jsonrpc": "2.0", "method": "initialized", "params": [:]],
      Self.request("two", "radar.leakedCredentialChecks.timeseriesGroups"),  // no params: -32602
      Self.request(3, "no.such.method"),
    ])
    #expect(await server.waitFor { !$0.isEmpty })
    _ = await server.call("after", "server.stats")  // answered after the batch: nothing else may come
    let messages = server.messages.filter { $0["id"] != "after" }
    #expect(messages.count == 1)
    let answers = try #require(messages.first?.arrayValue)
    #expect(answers.count == 3)
    let byID = Dictionary(uniqueKeysWithValues: answers.map { ($0["id"]!, $0) })
    #expect(byID[1]?["result"] != nil)
    #expect(byID["two"]?.errorCode == -32602)
    #expect(byID[3]?.errorCode == -32601)
  }

  @Test func emptyBatchIsInvalid() async throws {
    let server = try ServerProcess.demo()
    server.sendRaw("[]\n")
    #expect(await server.waitFor { !$0.isEmpty })
    #expect(server.messages.first?.errorCode == -32600)
    #expect(server.messages.first?["id"] == .null)
  }

  @Test func batchOfNotificationsGetsNoAnswer() async throws {
    let server = try ServerProcess.demo()
    server.send([
      ["jsonrpc": "2.0", "method": "initialized", "params": [:]],
      ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 99]],
      ["jsonrpc": "2.0", "method": "some/unknownNotification"],
    ])
    server.request(1, "server.stats")
    #expect(await server.waitFor { _ in server.responses(1).count == 1 })
    #expect(server.messages.count == 1)
  }

  /// Invalid elements of a batch are answered -32600 inside the batch.
  @Test func batchWithInvalidElements() async throws {
    let server = try ServerProcess.demo()
    server.send([1, ["jsonrpc": "2.0", "id": 5, "method": "server.stats"]])
    #expect(await server.waitFor { !$0.isEmpty })
    let answers = try #require(server.messages.first?.arrayValue)
    #expect(answers.count == 2)
    #expect(answers.contains { $0["id"] == .null && $0.errorCode == -32600 })
    #expect(answers.contains { $0["id"] == 5 && $0["result"] != nil })
  }

  /// Ids come back exactly: a string that looks like a number stays a string, numbers keep their literal.
  @Test func idsAreReturnedExactly() async throws {
    let server = try ServerProcess.demo()
    server.sendRaw(
      """
      {"jsonrpc":"2.0","id":"1","method":"server.stats"}
      {"jsonrpc":"2.0","id":1,"method":"server.stats"}
      {"jsonrpc":"2.0","id":-42,"method":"server.stats"}
      {"jsonrpc":"2.0","id":"","method":"server.stats"}
      {"jsonrpc":"2.0","id":null,"method":"server.stats"}

      """)
    #expect(await server.waitFor { $0.count == 5 })
    let text = String(decoding: server.stdoutBytes, as: UTF8.self)
    #expect(text.contains("\"id\":\"1\""))
    #expect(text.contains("\"id\":1,") || text.contains("\"id\":1}"))
    #expect(text.contains("\"id\":-42"))
    #expect(text.contains("\"id\":\"\""))
    #expect(server.responses("1").count == 1)
    #expect(server.responses(1).count == 1)
    #expect(server.responses(.null).count == 1)
  }

  @Test(arguments: [
    #"{"jsonrpc":"1.0","id":1,"method":"server.stats"}"#,
    #"{"jsonrpc":"2.0","id":1,"method":7}"#,
    #"{"jsonrpc":"2.0","id":{"a":1},"method":"server.stats"}"#,
    #"{"id":1,"method":"server.stats"}"#,
    "\"hello\"",
  ])
  func invalidRequestObjects(_ line: String) async throws {
    let server = try ServerProcess.demo()
    server.sendRaw("[1]\n")  // fixes ndjson before the test line, which may not start with { or [
    server.sendRaw(line + "\n")
    #expect(await server.waitFor { $0.count == 2 })
    #expect(server.messages.last?.errorCode == -32600)
  }
}
