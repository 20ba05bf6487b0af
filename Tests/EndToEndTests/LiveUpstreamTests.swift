import JSON
import TestSupport
import Testing

/// The live backend against the local fake Cloudflare: results, errors, credentials (contract §1, §3).
@Suite struct LiveUpstreamTests {
  @Test func resultPassesThroughUnchanged() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server()
    let response = try #require(
      await server.call(
        1, "radar.netflows.timeseriesGroups",
        [
          "dimension": "LOCATION", "aggInterval": "1d",
          "series": [["name": "a", "dateRange": "7d"], ["name": "b", "dateRange": "7d", "location": "PT"]],
        ]))
    let expected = try await fake.directly(
      "/radar/netflows/timeseries_groups/LOCATION?aggInterval=1d&name=a&name=b&dateRange=7d&dateRange=7d&location=&location=PT"
    )
    #expect(expected["success"] == true)
    #expect(response["result"] == expected["result"])
    #expect(response["result"]?.objectValue?.keys == ["meta", "a", "b"])
    let sent = try await fake.control("requests")["requests"]?.arrayValue?.last
    #expect(sent?["headers"]?["authorization"] == .string("Bearer \(FakeCloudflare.token)"))
  }

  @Test func noCredentialsIsMinus32005WithHelp() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(token: nil)
    let error = try #require(await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(error["code"] == -32005)
    let message = error["message"]?.stringValue ?? ""
    #expect(message.contains("CLOUDFLARE_API_TOKEN"))
    #expect(message.contains("--demo"))
    #expect(try await fake.total() == 0)
  }

  /// The token from `initializationOptions` is used, and after a rejection the error says so.
  @Test func tokenFromInitializeAndRejectedToken() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(token: nil)
    _ = await server.call(1, "initialize", ["initializationOptions": ["apiToken": .string(FakeCloudflare.token)]])
    #expect(
      await server.call(2, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "7d"])?["result"] != nil)
    let wrong = try fake.server(token: "not-the-right-token")
    let error = try #require(await wrong.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(error["code"] == -32005)
    #expect(error["data"]?["httpStatus"] == 403)
  }

  /// With debug logging, through success, failure and rejection, the secret never leaves the process.
  @Test func tokenNeverAppearsInOutput() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--log-level", "debug", "--retries", "0"])
    _ = await server.call(1, "initialize", [:])
    _ = await server.call(2, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "7d"])
    try await fake.script([["kind": "status", "status": 500]])
    _ = await server.call(3, "radar.ct.timeseriesGroups", ["dimension": "TLD", "dateRange": "7d"])
    _ = await server.call(4, "server.stats")
    _ = await server.call(5, "rpc.discover")
    try await fake.control("auth", ["token": "another-token"])
    _ = await server.call(6, "radar.ct.timeseriesGroups", ["dimension": "LOG", "dateRange": "7d"])
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    let stdout = String(decoding: server.stdoutBytes, as: UTF8.self)
    #expect(server.responses(6).first?.errorCode == -32005)
    #expect(!stdout.contains(FakeCloudflare.token))
    #expect(!server.stderrText.contains(FakeCloudflare.token))
    #expect(!server.stderrText.isEmpty, "debug logging wrote something")

    // The same for a token that arrives in initializationOptions.
    let viaInitialize = try fake.server(["--log-level", "debug"], token: nil)
    try await fake.control("auth", ["token": .string(FakeCloudflare.token)])
    _ = await viaInitialize.call(
      1, "initialize", ["initializationOptions": ["apiToken": .string(FakeCloudflare.token)]])
    #expect(
      await viaInitialize.call(2, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "7d"])?["result"] != nil
    )
    viaInitialize.closeInput()
    #expect(await viaInitialize.waitForExit() == 0)
    #expect(!String(decoding: viaInitialize.stdoutBytes, as: UTF8.self).contains(FakeCloudflare.token))
    #expect(!viaInitialize.stderrText.contains(FakeCloudflare.token))
  }

  @Test func cloudflareErrorEnvelopeIsMinus32001() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server()
    let errors: JSONValue = [["code": 2001, "message": "Input Validation Error: dateRange too long"]]
    try await fake.script([["kind": "status", "status": 400, "errors": errors]])
    let error = try #require(await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(error["code"] == -32001)
    #expect(error["data"]?["httpStatus"] == 400)
    #expect(error["data"]?["errors"] == errors)
    // `success: false` with HTTP 200 is an error too.
    try await fake.script([["kind": "success_false", "errors": [["code": 1000, "message": "nope"]]]])
    let falseSuccess = try #require(await server.call(2, "radar.ct.timeseriesGroups", ["dimension": "TLD"])?["error"])
    #expect(falseSuccess["code"] == -32001)
    #expect(falseSuccess["data"]?["errors"]?.arrayValue?.first?["code"] == 1000)
  }

  @Test func garbageBodyIsMinus32004() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--retries", "0"])
    try await fake.script([["kind": "garbage", "body": "<html>gateway</html>", "contentType": "text/html"]])
    let error = try #require(await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(error["code"] == -32004)
    #expect(error["data"]?["reason"]?.stringValue != nil)
  }

  @Test func rateLimitedThenSuccess() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server()
    try await fake.script([["kind": "status", "status": 429, "retryAfter": "0"]])
    let response = try #require(
      await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "7d"]))
    #expect(response["result"]?["meta"] != nil, "\(response)")
    #expect(try await fake.total() == 2)
    let stats = try #require(await server.call(2, "server.stats")?["result"])
    #expect(stats["upstream"]?["rateLimited"] == 1)
    #expect(stats["upstream"]?["retries"] == 1)
  }

  @Test func rateLimitedWithoutRetriesIsMinus32003() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--retries", "0"])
    try await fake.script([["kind": "status", "status": 429, "retryAfter": "7"]])
    let error = try #require(await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(error["code"] == -32003)
    #expect(error["data"]?["httpStatus"] == 429)
    #expect(error["data"]?["retryAfterSeconds"] == 7)
  }

  /// A redirect to another origin is followed without the credentials (the other side sees no token).
  @Test func redirectToAnotherHostDropsTheCredentials() async throws {
    let fake = try await FakeCloudflare.start()
    let other = try await FakeCloudflare.start(["--no-auth"])
    let server = try fake.server()
    try await fake.script([["kind": "redirect", "port": .number(JSONNumber(other.port))]])
    #expect(
      await server.call(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "7d"])?["result"] != nil)
    let arrived = try #require(try await other.control("requests")["requests"]?.arrayValue?.last)
    #expect(arrived["headers"]?["authorization"] == nil)
    #expect(try await other.control("counters")["credentialRequests"] == 0)
  }

  /// Contract §7: `--max-message-bytes` bounds what one Radar call can cost with the live backend
  /// as with the demo: an answer larger than it is refused (-32602, path `""`) as soon as its
  /// `Content-Length` says so, not retried, and the server goes on.
  @Test func anAnswerLargerThanMaxMessageBytesIsRefused() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--max-message-bytes", "1024"])
    let error = try #require(
      await server.call(1, "radar.netflows.timeseriesGroups", ["dimension": "LOCATION", "dateRange": "7d"])?["error"])
    #expect(error["code"] == -32602)
    #expect(error["message"]?.stringValue?.contains("--max-message-bytes (1024)") == true, "\(error)")
    #expect(error["data"]?["errors"]?.arrayValue?.first?["path"] == "")
    #expect(try await fake.total() == 1)
    // A body without a length, cut where it passes the limit.
    try await fake.script([["kind": "flood"]])
    let flood = try #require(await server.call(2, "radar.ct.timeseriesGroups", ["dimension": "CA"])?["error"])
    #expect(flood["code"] == -32602)
    #expect(try await fake.total() == 2)
    #expect(await server.call(3, "server.stats")?["result"] != nil)
  }
}
