import JSON
import TestSupport
import Testing

/// `workDoneToken`: one `begin`, `report`s while waiting, one `end` before the response (contract §6).
@Suite struct ProgressTests {
  /// The `$/progress` notifications for `token` and the response to `id`, in the order they arrived.
  static func transcript(_ server: ServerProcess, token: JSONValue, id: JSONValue) -> [JSONValue] {
    server.messages.filter {
      ($0["method"] == "$/progress" && $0["params"]?["token"] == token) || ($0["id"] == id && $0["method"] == nil)
    }
  }

  /// Checks begin … end, response; returns the report messages.
  @discardableResult
  static func checkShape(_ messages: [JSONValue], endMessage: String? = nil) -> [String] {
    let kinds = messages.map { $0.progressKind ?? "response" }
    #expect(kinds.first == "begin", "\(kinds)")
    #expect(kinds.filter { $0 == "begin" }.count == 1, "\(kinds)")
    #expect(kinds.filter { $0 == "end" }.count == 1, "\(kinds)")
    #expect(Array(kinds.suffix(2)) == ["end", "response"], "\(kinds)")
    if let endMessage {
      #expect(messages.dropLast().last?["params"]?["value"]?["message"]?.stringValue == endMessage)
    }
    return messages.filter { $0.progressKind == "report" }.compactMap {
      $0["params"]?["value"]?["message"]?.stringValue
    }
  }

  @Test func beginAndEndAroundADemoCall() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "50"])
    let params: JSONValue = ["dimension": "CA", "dateRange": "1d", "workDoneToken": 42]
    #expect(await server.call(1, "radar.ct.timeseriesGroups", params)?["result"]?["meta"] != nil)
    let messages = Self.transcript(server, token: 42, id: 1)
    Self.checkShape(messages, endMessage: "done")
    #expect(messages.first?["params"]?["value"]?["title"]?.stringValue?.contains("radar.ct.timeseriesGroups") == true)
  }

  /// A 429 with Retry-After: a report says the call waits for a retry, then the result.
  @Test func reportWhileWaitingForARetry() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server()
    try await fake.script([["kind": "status", "status": 429, "retryAfter": "1"]])
    let params: JSONValue = ["dimension": "CA", "dateRange": "7d", "workDoneToken": "rl"]
    let response = await server.call(1, "radar.ct.timeseriesGroups", params)
    #expect(response?["result"]?["meta"] != nil)
    let reports = Self.checkShape(Self.transcript(server, token: "rl", id: 1), endMessage: "done")
    #expect(reports.count == 1)
    #expect(reports.first?.contains("retry 1") == true, "\(reports)")
    #expect(reports.first?.contains("1.0 s") == true, "\(reports)")
  }

  /// The client-side rate limiter holds one of two calls sent together: a report says so.
  @Test func reportWhileWaitingForTheRateLimiter() async throws {
    let server = try ServerProcess.demo(["--rate-limit", "1/2"])
    server.send([
      [
        "jsonrpc": "2.0", "id": 1, "method": "radar.ct.timeseriesGroups",
        "params": ["dimension": "CA", "dateRange": "1d", "workDoneToken": "a"],
      ],
      [
        "jsonrpc": "2.0", "id": 2, "method": "radar.ct.timeseriesGroups",
        "params": ["dimension": "TLD", "dateRange": "1d", "workDoneToken": "b"],
      ],
    ])
    #expect(await server.waitFor { $0.contains { $0.arrayValue?.count == 2 } })
    let batch = server.messages.compactMap(\.arrayValue).first ?? []
    #expect(batch.allSatisfy { $0["result"]?["meta"] != nil })
    let reports = ["a", "b"].map { token in
      server.notifications("$/progress").filter {
        $0["params"]?["token"] == .string(token) && $0.progressKind == "report"
      }
      .compactMap { $0["params"]?["value"]?["message"]?.stringValue }
    }
    #expect(reports.filter { $0.contains { $0.contains("rate limit") } }.count == 1, "\(reports)")
  }

  @Test func oneEndOnError() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server()
    try await fake.script([["kind": "status", "status": 400]])
    let params: JSONValue = ["dimension": "CA", "workDoneToken": "e"]
    #expect(await server.call(1, "radar.ct.timeseriesGroups", params)?.errorCode == -32001)
    Self.checkShape(Self.transcript(server, token: "e", id: 1))
  }

  @Test func oneEndOnCancellation() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "600000"])
    server.request(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d", "workDoneToken": "c"])
    #expect(await server.waitFor { _ in server.notifications("$/progress").count == 1 })
    server.notify("$/cancelRequest", ["id": 1])
    #expect(await server.response(1)?.errorCode == -32800)
    _ = await server.call(2, "server.stats")  // a late end or report would come before this answer
    Self.checkShape(Self.transcript(server, token: "c", id: 1), endMessage: "cancelled")
  }

  /// Invalid params are answered before any progress starts.
  @Test func noProgressForInvalidParams() async throws {
    let server = try ServerProcess.demo()
    let params: JSONValue = ["dimension": "XX", "workDoneToken": "v"]
    #expect(await server.call(1, "radar.ct.timeseriesGroups", params)?.errorCode == -32602)
    #expect(server.notifications("$/progress").isEmpty)
  }
}
