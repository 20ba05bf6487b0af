import Foundation
import JSON
import TestSupport
import Testing

/// `Tests/Cases/upstream-replies.json` (a copy of the shared cases): what Cloudflare, or something
/// pretending to be it, sends back, and what radar-rpc must make of it (contract §1, §3, §7). The
/// fake plays each entry exactly (status, headers, body, with `<THE TOKEN>` replaced by the token
/// the request carried); each runs in both framings, with a work-done token and debug logging, and
/// in every case the token appears nowhere on standard output or standard error.
@Suite struct UpstreamRepliesTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let reply: JSONValue
    var testDescription: String { name }
  }

  static let file = ServerProcess.repositoryRoot.appendingPathComponent("Tests/Cases/upstream-replies.json")

  static let cases: [Case] = {
    guard let data = try? Data(contentsOf: file), let entries = try? JSONParser.parse(Array(data)).arrayValue else {
      return []
    }
    return entries.map { Case(name: $0["case"]?.stringValue ?? "?", reply: $0) }
  }()

  @Test func everyCaseHasAnExpectation() {
    #expect(Self.cases.count >= 8, "cases not found at \(Self.file.path)")
    for c in Self.cases { #expect(Self.expectations[c.name] != nil, "no expectation for \(c.name)") }
  }

  /// One case against a fresh fake and server; `check` gets the answer and the played entry.
  typealias Check = @Sendable (_ run: Run) async throws -> Void

  struct Run: Sendable {
    let fake: FakeCloudflare
    let server: ServerProcess
    let reply: JSONValue
    /// Scripts the entry (`times` plays) and calls a Radar method with it (`dimension` apart from
    /// other calls, so the result cache does not answer instead).
    func call(_ id: JSONValue, times: Int = 1, dimension: JSONValue = "CA") async throws -> JSONValue {
      let params: JSONValue = ["dimension": dimension, "dateRange": "7d", "workDoneToken": "progress-1"]
      var fault: JSONObject = ["kind": "reply", "status": reply["status"] ?? 200, "times": .number(JSONNumber(times))]
      fault["headers"] = reply["headers"]
      fault["body"] = reply["body"]
      try await fake.script([.object(fault)])
      return try #require(await server.call(id, "radar.ct.timeseriesGroups", params))
    }

    /// The entry's body errors as the answer must carry them: whole, the token redacted.
    var redactedErrors: JSONValue? {
      reply["body"]?["errors"].map {
        try! JSONParser.parse(
          Array(JSONWriter.string($0).replacingOccurrences(of: "<THE TOKEN>", with: "[redacted]").utf8))
      }
    }
  }

  /// The contract's answer for each entry (the file's `expect` is prose).
  static let expectations: [String: Check] = [
    "retry-after-huge-integer": { run in
      let error = try #require(try await run.call(1)["error"])
      #expect(error["code"] == -32003)
      // A wait longer than the call can afford: given up at once, the wait clamped to a day.
      #expect(error["data"] == ["httpStatus": 429, "retryAfterSeconds": 86_400])
      #expect(try await run.fake.total() == 1)
    },
    "retry-after-ms-huge": { run in
      let error = try #require(try await run.call(1)["error"])
      #expect(error["code"] == -32003)
      #expect(error["data"] == ["httpStatus": 429, "retryAfterSeconds": 86_400])
      #expect(try await run.fake.total() == 1)
    },
    "retry-after-http-date-far-future-on-success": { run in
      let answer = try await run.call(1)
      let direct = try await run.fake.directly("/radar/ct/timeseries_groups/CA?dateRange=7d")
      #expect(answer["result"] != nil && answer["result"] == direct["result"], "\(answer)")
    },
    "retry-after-hex": { run in
      // Not delay-seconds: absent, so the normal backoff retries and the next answer gets through…
      let answer = try await run.call(1)
      #expect(answer["result"]?["meta"] != nil, "\(answer)")
      #expect(try await run.fake.total() == 2)
      // …and when every retry meets it, -32003 says nothing about when to come back.
      let error = try #require(try await run.call(2, times: 2, dimension: "TLD")["error"])
      #expect(error["code"] == -32003)
      #expect(error["data"] == ["httpStatus": 429])
    },
    "error-body-echoes-request-headers": { run in
      let error = try #require(try await run.call(1)["error"])
      #expect(error["code"] == -32001)
      #expect(error["data"]?["errors"] == run.redactedErrors)
      #expect(error["message"]?.stringValue?.contains("Bearer [redacted]") == true)
    },
    "error-with-chain-and-docs": { run in
      let error = try #require(try await run.call(1)["error"])
      #expect(error["code"] == -32005)
      #expect(error["data"] == ["httpStatus": 400, "errors": run.redactedErrors ?? .null])
      #expect(error["message"]?.stringValue?.contains("Invalid format for Authorization header") == true)
    },
    "error-with-string-code-and-source": { run in
      let error = try #require(try await run.call(1)["error"])
      #expect(error["code"] == -32001)
      #expect(error["data"] == ["httpStatus": 400, "errors": run.redactedErrors ?? .null])
    },
    "success-with-null-confidence-level": { run in
      let answer = try await run.call(1)
      #expect(answer["result"] == run.reply["body"]?["result"], "\(answer)")
    },
  ]

  @Test(arguments: cases, [ServerProcess.Framing.lsp, .ndjson])
  func upstreamReply(_ entry: Case, framing: ServerProcess.Framing) async throws {
    let check = try #require(Self.expectations[entry.name], "no expectation for \(entry.name)")
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--log-level", "debug", "--retries", "1"], framing: framing)
    try await check(Run(fake: fake, server: server, reply: entry.reply))
    // The server goes on serving, and answers everything it was asked.
    #expect(await server.call("after", "server.stats")?["result"] != nil)
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    #expect(server.parseFailures.isEmpty)
    // Begin and end of the work-done progress, and the end never carries upstream secrets.
    let progress = server.notifications("$/progress").compactMap { $0["params"]?["value"]?["kind"]?.stringValue }
    #expect(progress.first == "begin" && progress.last == "end", "\(progress)")
    #expect(!String(decoding: server.stdoutBytes, as: UTF8.self).contains(FakeCloudflare.token))
    #expect(!server.stderrText.contains(FakeCloudflare.token))
  }

  /// Issue 15: every success body of the file, as radar-rpc answers it, fits the result schema
  /// that `rpc.discover` publishes (the validator is fidelity's ``ResultSchema``).
  @Test(arguments: cases.filter { (200..<300).contains($0.reply["status"]?.intValue ?? 0) })
  func successBodyFitsTheDiscoveredResultSchema(_ entry: Case) async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--retries", "1"])
    let schema = try await ResultSchema.discover(from: server)
    let answer = try await Run(fake: fake, server: server, reply: entry.reply).call(1)
    let result = try #require(answer["result"], "\(answer)")
    #expect(schema.violations(method: "radar.ct.timeseriesGroups", result: result) == [])
    if case .object? = entry.reply["body"] {
      #expect(result == entry.reply["body"]?["result"], "the body's result passes through unchanged")
    }
  }
}
