import Foundation
import JSON
import TestSupport
import Testing

/// Three cases of `Tests/Cases/wire/` (copies of the shared wire cases) about params that are
/// JSON but not acceptable, in both framings: each is -32602 with the request's id at the right
/// path, and the server goes on (contract §3, §5, §7).
@Suite struct WireLimitTests {
  static let framings: [ServerProcess.Framing] = [.ndjson, .lsp]

  /// The case file's lines, each sent as one message in `framing`.
  static func send(_ file: String, to server: ServerProcess, framing: ServerProcess.Framing) throws {
    let url = ServerProcess.repositoryRoot.appendingPathComponent("Tests/Cases/wire/\(file)")
    let lines = try Data(contentsOf: url).split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }
    for line in lines {
      switch framing {
      case .ndjson: server.sendRaw(Array(line) + [0x0A])
      case .lsp: server.sendRaw(Array("Content-Length: \(line.count)\r\n\r\n".utf8) + Array(line))
      }
    }
  }

  /// `"name": "\ud83c"`: JSON by RFC 8259's grammar, not Unicode text. -32602 at /name with id 1,
  /// never -32700 with id null.
  @Test(arguments: framings)
  func loneSurrogateKeepsTheID(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    try Self.send("lone-surrogate-keeps-id.ndjson", to: server, framing: framing)
    let answer = try #require(await server.response(1))
    #expect(answer["error"]?["code"] == -32602)
    #expect(answer["error"]?["data"]?["errors"]?.arrayValue?.map { $0["path"] } == ["/name"])
    #expect(
      answer["error"]?["data"]?["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("not valid Unicode")
        == true)
    #expect(server.messages.allSatisfy { $0["id"] != .null })
    // A lone surrogate anywhere in params, for any method, the same way; paired surrogates are text.
    let stats =
      #"{"jsonrpc":"2.0","id":2,"method":"radar.subscribe","params":{"method":"radar.ct.timeseriesGroups","params":{"dimension":"CA","ca":["ok","\udc00"]}}}"#
    let pair =
      #"{"jsonrpc":"2.0","id":3,"method":"radar.netflows.timeseriesGroups","params":{"dimension":"AS","name":"\ud83c\udf0d"}}"#
    for text in [stats, pair] {
      let body = Array(text.utf8)
      switch framing {
      case .ndjson: server.sendRaw(body + [0x0A])
      case .lsp: server.sendRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
      }
    }
    let nested = try #require(await server.response(2))
    #expect(nested["error"]?["data"]?["errors"]?.arrayValue?.map { $0["path"] } == ["/params/ca/1"])
    let paired = try #require(await server.response(3))
    #expect(paired["result"]?["🌍"] != nil)
  }

  /// `intervalSeconds` near Int.max: -32602 at /intervalSeconds naming the range 1…86400, and
  /// the server goes on serving (it used to trap when the poller slept).
  @Test(arguments: framings)
  func subscribeIntervalIsBounded(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    try Self.send("subscribe-interval-int-max.ndjson", to: server, framing: framing)
    let answer = try #require(await server.response(1))
    let error = try #require(answer["error"])
    #expect(error["code"] == -32602)
    #expect(error["data"]?["errors"]?.arrayValue?.map { $0["path"] } == ["/intervalSeconds"])
    #expect(error["message"]?.stringValue?.contains("from 1 to 86400") == true)
    #expect(
      await server.call(
        2, "radar.subscribe",
        ["method": "radar.ct.timeseriesGroups", "params": ["dimension": "CA"], "intervalSeconds": 86400])?["result"]?[
          "subscription"] != nil)
    #expect(await server.call(3, "server.stats")?["result"]?["subscriptions"] == 1)
    #expect(server.isRunning)
  }

  /// 500 series: -32602 at the over-long array naming the limit (--max-series, default 32).
  @Test(arguments: framings)
  func fiveHundredSeriesIsRefused(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    try Self.send("five-hundred-series.ndjson", to: server, framing: framing)
    let answer = try #require(await server.response(1))
    let error = try #require(answer["error"])
    #expect(error["code"] == -32602)
    #expect(error["message"]?.stringValue?.contains("at most 32") == true)
    #expect(error["message"]?.stringValue?.contains("--max-series") == true)
    // 32 series are fine; the series form counts the same way.
    let names: [JSONValue] = (0..<32).map { .string("s\($0)") }
    #expect(
      await server.call(
        2, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d", "name": .array(names)])?[
          "result"]?.objectValue?.count == 33)
    let series: [JSONValue] = (0..<33).map { _ in [:] }
    let tooMany = await server.call(3, "radar.ct.timeseriesGroups", ["dimension": "CA", "series": .array(series)])
    #expect(tooMany?["error"]?["data"]?["errors"]?.arrayValue?.map { $0["path"] } == ["/series"])
    // --max-series moves the limit, for direct calls and subscriptions alike.
    let wider = try ServerProcess.demo(["--max-series", "500"], framing: framing)
    try Self.send("five-hundred-series.ndjson", to: wider, framing: framing)
    // (The case's params also hold `location`, which CT does not have: with the limit out of the
    // way, that is all that is left to report.)
    #expect(await wider.response(1)?["error"]?["data"]?["errors"]?.arrayValue?.map { $0["path"] } == ["/location"])
    let narrow = try ServerProcess.demo(["--max-series", "1"], framing: framing)
    let subscribe = await narrow.call(
      1, "radar.subscribe",
      ["method": "radar.ct.timeseriesGroups", "params": ["dimension": "CA", "name": ["a", "b"]]])
    #expect(subscribe?["error"]?["data"]?["errors"]?.arrayValue?.map { $0["path"] } == ["/params/name"])
  }
}
