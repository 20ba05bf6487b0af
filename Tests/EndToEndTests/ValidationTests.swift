import JSON
import TestSupport
import Testing

/// Params that fail the schema: -32602 with every violation, the same in demo and live mode (contract §3, §5).
@Suite struct ValidationTests {
  /// The example of protocol/README.md.
  static let params = JSONValue.parse(
    #"{"dimension": "locaton", "aggInterval": "2h", "format": "cvs", "dateRange": ["7d", "7dcontrl"], "loction": "US", "limitPerGroup": 1}"#
  )

  static func check(_ error: JSONValue?) throws {
    let error = try #require(error)
    #expect(error["code"] == -32602)
    let entries = try #require(error["data"]?["errors"]?.arrayValue)
    let byPath = Dictionary(entries.map { ($0["path"]?.stringValue ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
    #expect(
      Set(byPath.keys) == ["/dimension", "/aggInterval", "/format", "/dateRange/1", "/loction", "/limitPerGroup"])
    #expect(byPath["/dimension"]?["didYouMean"] == "LOCATION")
    #expect(byPath["/aggInterval"]?["didYouMean"] == "1h")
    #expect(byPath["/format"]?["didYouMean"] == "CSV")
    #expect(byPath["/dateRange/1"]?["message"]?.stringValue?.contains("7dcontrol") == true)
    #expect(byPath["/loction"]?["didYouMean"] == "location")
    #expect(byPath["/limitPerGroup"]?["message"] == "must be from 2 to 10000 (got 1)")
    #expect(entries.allSatisfy { $0["message"]?.stringValue?.isEmpty == false })
  }

  @Test func everyViolationWithItsPath() async throws {
    let server = try ServerProcess.demo()
    try Self.check(await server.call(1, "radar.netflows.timeseriesGroups", Self.params)?["error"])
  }

  /// Validation happens before the backend: live mode gives the identical error and sends nothing upstream.
  @Test func liveAndDemoGiveTheIdenticalError() async throws {
    let fake = try await FakeCloudflare.start()
    let live = try fake.server()
    let demo = try ServerProcess.demo()
    let liveError = await live.call(1, "radar.netflows.timeseriesGroups", Self.params)?["error"]
    let demoError = await demo.call(1, "radar.netflows.timeseriesGroups", Self.params)?["error"]
    try Self.check(liveError)
    #expect(liveError == demoError)
    #expect(try await fake.total() == 0)
    // Also without credentials: params are checked before credentials.
    let anonymous = try fake.server(token: nil)
    #expect(await anonymous.call(1, "radar.netflows.timeseriesGroups", Self.params)?["error"] == demoError)
  }

  @Test(arguments: [
    (JSONValue.null, "/dimension"),
    (JSONValue.parse("[\"AS\"]"), ""),
    (JSONValue.parse(#"{"dimension": "AS", "series": [{"normalization": "PERCENTAGE"}]}"#), "/series/0/normalization"),
    (
      JSONValue.parse(#"{"dimension": "AS", "dateStart": "2024-01-02T00:00:00Z", "dateEnd": "2024-01-01T00:00:00Z"}"#),
      "/dateStart"
    ),
    (JSONValue.parse(#"{"dimension": "AS", "dateStart": "2024-01-02T00:00:00Z"}"#), "/dateStart"),
    (JSONValue.parse(#"{"dimension": "AS", "location": ["US"], "series": [{"name": "a"}]}"#), "/location"),
  ])
  func singleViolation(_ params: JSONValue, _ path: String) async throws {
    let server = try ServerProcess.demo()
    let error = try #require(await server.call(1, "radar.netflows.timeseriesGroups", params)?["error"])
    #expect(error["code"] == -32602)
    #expect(error["data"]?["errors"]?.arrayValue?.map { $0["path"] } == [.string(path)])
  }

  /// Inside `radar.subscribe` the pointers start at `/params`; the subscription's own fields are checked too.
  @Test func subscribePathsArePrefixed() async throws {
    let server = try ServerProcess.demo()
    let error = try #require(
      await server.call(
        1, "radar.subscribe",
        [
          "method": "radar.ct.timeseriesGroups", "params": ["dimension": "CA", "aggInterval": "2h"],
          "intervalSeconds": 0,
        ]
      )?["error"])
    #expect(error["code"] == -32602)
    let paths = Set(error["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? [])
    #expect(paths == ["/params/aggInterval", "/intervalSeconds"])
    let wrongMethod = await server.call(2, "radar.subscribe", ["method": "radar.ct.timeseriesGroup", "params": [:]])
    #expect(wrongMethod?["error"]?["data"]?["errors"]?.arrayValue?.first?["didYouMean"] == "radar.ct.timeseriesGroups")
  }

  /// The server's own methods check their params against the same document as the Radar
  /// methods, and fail with the same -32602 shape: `data.errors` with JSON Pointer paths.
  @Test(arguments: [
    ("server.stats", JSONValue.parse(#"{"verbose": true}"#), "/verbose"),
    ("rpc.discover", JSONValue.parse(#"[1]"#), ""),
    ("radar.unsubscribe", JSONValue.parse(#"{"subscription": "sub-1", "extra": 1}"#), "/extra"),
    ("radar.unsubscribe", JSONValue.parse(#"{}"#), "/subscription"),
    ("radar.subscribe", JSONValue.parse(#"{"method": "radar.ct.timeseriesGroups"}"#), "/params"),
    ("initialize", JSONValue.parse(#"{"initializationOptions": {"apiToken": ""}}"#), "/initializationOptions/apiToken"),
  ])
  func serverMethodsCheckTheirParamsAgainstTheDocument(_ method: String, _ params: JSONValue, _ path: String)
    async throws
  {
    let server = try ServerProcess.demo()
    let error = try #require(await server.call(1, method, params)?["error"])
    #expect(error["code"] == -32602)
    #expect(error["data"]?["errors"]?.arrayValue?.map { $0["path"] } == [.string(path)])
    // And the server goes on.
    #expect(await server.call(2, "server.stats", [:])?["result"] != nil)
  }
}
