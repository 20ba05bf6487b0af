import JSON
import Testing

/// Contract §7: the demo refuses (-32602) an answer larger than `--max-message-bytes` before
/// building it, and goes on answering.
@Suite struct DemoAnswerLimitTests {
  @Test(arguments: [ServerProcess.Framing.ndjson, .lsp])
  func anAnswerLargerThanTheLimitIsInvalidParams(framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(["--max-message-bytes", "20000"], framing: framing)
    let big: JSONValue = ["dimension": "CA", "dateRange": "7d", "aggInterval": "15m"]
    let error = try #require(await server.call(1, "radar.ct.timeseriesGroups", big)?["error"])
    #expect(error["code"] == -32602)
    #expect(error["message"]?.stringValue?.contains("--max-message-bytes (20000)") == true, "\(error)")
    let small = await server.call(
      2, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d", "aggInterval": "1h"])
    #expect(small?["result"]?["meta"] != nil, "\(String(describing: small))")
    server.closeInput()
    #expect(await server.waitForExit() == 0)
  }
}
