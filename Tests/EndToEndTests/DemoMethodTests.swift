import Foundation
import JSON
import TestSupport
import Testing

/// The three Radar methods, discovery and stats on the demo backend (contract §4, §5).
@Suite struct DemoMethodTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let method: String
    let params: JSONValue
    let seriesKeys: [String]
    var testDescription: String { method }
  }

  static let cases = [
    Case(
      method: "radar.ct.timeseriesGroups",
      params: ["dimension": "ENTRY_TYPE", "dateRange": "1d", "aggInterval": "1h"], seriesKeys: ["serie_0"]),
    Case(
      method: "radar.leakedCredentialChecks.timeseriesGroups",
      params: [
        "dimension": "COMPROMISED", "aggInterval": "1d",
        "series": [
          ["name": "us", "dateRange": "7d", "location": "US"], ["name": "pt", "dateRange": "7d", "location": "PT"],
        ],
      ], seriesKeys: ["us", "pt"]),
    Case(
      method: "radar.netflows.timeseriesGroups",
      params: [
        "dimension": "PRODUCT", "dateStart": "2026-01-05T00:00:00Z", "dateEnd": "2026-01-06T00:00:00Z",
        "aggInterval": "1h",
      ], seriesKeys: ["serie_0"]),
  ]

  /// A request the demo refuses is -32001 with the data Cloudflare's answer would have (HTTP 400,
  /// code 2001), and a message that says the demo backend answered: with `--demo` no request
  /// leaves the machine, so "Cloudflare answered" would be untrue.
  @Test func aRefusalSaysTheDemoAnsweredAsCloudflareWould() async throws {
    let server = try ServerProcess.demo()
    let response = await server.call(
      1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "52w", "aggInterval": "15m"])
    let error = try #require(response?["error"], "\(String(describing: response))")
    #expect(error["code"] == -32001)
    #expect(error["data"]?["httpStatus"] == 400)
    #expect(error["data"]?["errors"]?.arrayValue?.first?["code"] == 2001)
    let message = error["message"]?.stringValue ?? ""
    #expect(message.hasPrefix("The demo backend answered as Cloudflare would, with HTTP 400: "), "\(message)")
    #expect(!message.contains("Cloudflare answered"), "\(message)")
  }

  @Test(arguments: cases)
  func answersWithMetaAndSeries(_ c: Case) async throws {
    let server = try ServerProcess.demo()
    let response = try #require(await server.call(1, c.method, c.params))
    let result = try #require(response["result"]?.objectValue, "\(response)")
    #expect(result.keys == ["meta"] + c.seriesKeys)
    let meta = try #require(result["meta"])
    #expect(meta["dateRange"]?.arrayValue?.count == c.seriesKeys.count)
    #expect(meta["aggInterval"]?.stringValue != nil)
    for key in c.seriesKeys {
      let series = try #require(result[key]?.objectValue)
      let timestamps = try #require(series["timestamps"]?.arrayValue)
      #expect(!timestamps.isEmpty)
      #expect(series.count >= 2)
      for (group, values) in series where group != "timestamps" {
        let values = try #require(values.arrayValue)
        #expect(values.count == timestamps.count, "\(key).\(group)")
        #expect(values.allSatisfy { $0.stringValue.flatMap(Double.init) != nil }, "values are numeric strings")
      }
    }
  }

  /// Same request, same answer (the demo is deterministic), and the flat form equals the series form.
  @Test func deterministicAndFormIndependent() async throws {
    let server = try ServerProcess.demo(["--cache-ttl", "0"])
    let flat: JSONValue = [
      "dimension": "LOCATION", "name": ["us", "pt"], "dateRange": ["7d", "7d"], "location": ["US", "PT"],
      "aggInterval": "1d",
    ]
    let series: JSONValue = [
      "dimension": "LOCATION", "dateRange": "7d", "aggInterval": "1d",
      "series": [["name": "us", "location": "US"], ["name": "pt", "location": "PT"]],
    ]
    // `meta.lastUpdated` follows the clock's quarter hour, which may turn between the two calls.
    func withoutLastUpdated(_ result: JSONValue?) -> JSONValue? {
      guard case .object(var object)? = result, case .object(var meta)? = object["meta"] else { return result }
      _ = meta.removeValue(forKey: "lastUpdated")
      object["meta"] = .object(meta)
      return .object(object)
    }
    let a = await server.call(1, "radar.netflows.timeseriesGroups", flat)?["result"]
    let b = await server.call(2, "radar.netflows.timeseriesGroups", series)?["result"]
    #expect(a?["meta"]?["lastUpdated"] != nil)
    #expect(withoutLastUpdated(a) == withoutLastUpdated(b))
  }

  @Test func csvFormat() async throws {
    let server = try ServerProcess.demo()
    let response = await server.call(
      1, "radar.ct.timeseriesGroups", ["dimension": "HAS_IPS", "dateRange": "1d", "format": "CSV"])
    #expect(response?["result"]?["format"] == "CSV")
    #expect(response?["result"]?["csv"]?.stringValue?.hasPrefix("Serie_0 timestamps") == true)
  }

  @Test func unknownMethodSuggestsTheClosestName() async throws {
    let server = try ServerProcess.demo()
    let response = try #require(await server.call(1, "radar.ct.timeseriesGroup", ["dimension": "CA"]))
    #expect(response.errorCode == -32601)
    #expect(response["error"]?["data"]?["method"] == "radar.ct.timeseriesGroup")
    #expect(response["error"]?["data"]?["didYouMean"]?.arrayValue?.first == "radar.ct.timeseriesGroups")
    let far = try #require(await server.call(2, "completely.different", [:]))
    #expect(far.errorCode == -32601)
  }

  @Test func discoverReturnsTheOpenRPCDocument() async throws {
    let server = try ServerProcess.demo()
    let result = try #require(await server.call(1, "rpc.discover")?["result"])
    #expect(result["openrpc"]?.stringValue?.hasPrefix("1.") == true)
    let names = Set(result["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
    let expected = Set(
      LifecycleTests.radarMethods + ["radar.subscribe", "radar.unsubscribe", "server.stats", "initialize"])
    #expect(expected.isSubset(of: names), "missing \(expected.subtracting(names))")
    // Verbatim: the same document as protocol/openrpc.json.
    let file = ServerProcess.repositoryRoot.appendingPathComponent("protocol/openrpc.json")
    let onDisk = try JSONParser.parse(Array(try Data(contentsOf: file)))
    #expect(result == onDisk)
  }

  @Test func statsShape() async throws {
    // A cache entry outlives any stall of a loaded test run (the default TTL is 60 s).
    let server = try ServerProcess.demo(["--cache-ttl", "3600"])
    let params: JSONValue = ["dimension": "CA", "dateRange": "1d"]
    _ = await server.call(1, "radar.ct.timeseriesGroups", params)
    _ = await server.call(2, "radar.ct.timeseriesGroups", params)  // a cache hit
    let stats = try #require(await server.call(3, "server.stats")?["result"])
    for key in ["requests", "errors", "retries", "rateLimited"] {
      #expect(stats["upstream"]?[key]?.intValue != nil, "upstream.\(key)")
    }
    for key in ["coalesced", "cacheHits", "inFlight", "subscriptions"] {
      #expect(stats[key]?.intValue != nil, "\(key)")
    }
    #expect(stats["upstream"]?["requests"] == 1)
    #expect(stats["cacheHits"] == 1)
    #expect(stats["inFlight"] == 0)
    #expect(stats["subscriptions"] == 0)
  }

  /// Identical requests in flight at once share one upstream call (demo latency keeps them in flight).
  @Test func identicalRequestsInFlightAreCoalesced() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "300"])
    let params: JSONValue = ["dimension": "TLD", "dateRange": "2d"]
    for id in 1...4 { server.request(.number(JSONNumber(id)), "radar.ct.timeseriesGroups", params) }
    #expect(await server.waitFor { _ in (1...4).allSatisfy { server.responses(.number(JSONNumber($0))).count == 1 } })
    let results = (1...4).map { server.responses(.number(JSONNumber($0))).first?["result"] }
    #expect(results.allSatisfy { $0 != nil && $0 == results[0] })
    let stats = try #require(await server.call(9, "server.stats")?["result"])
    #expect(stats["upstream"]?["requests"] == 1)
    #expect(stats["coalesced"] == 3)
  }

  /// `$/cancelRequest` answers the request -32800 at once; unknown ids are ignored.
  @Test func cancelRequest() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "600000"])
    server.request(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d"])
    server.notify("$/cancelRequest", ["id": 12345])
    #expect(await server.call("probe", "server.stats")?["result"]?["inFlight"] == 1)  // the unknown id changed nothing
    server.notify("$/cancelRequest", ["id": 1])
    let response = await server.response(1)
    #expect(response?.errorCode == -32800)
    #expect(await server.call(2, "server.stats")?["result"]?["inFlight"] == 0)
    #expect(server.responses(1).count == 1)
  }

  /// Cancelling one of two coalesced callers leaves the shared call running for the other; the
  /// last one out cancels it. Read from `server.stats`, not from how long anything takes.
  @Test func cancellingOneCoalescedCallerKeepsTheOther() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "600000"])
    let params: JSONValue = ["dimension": "LOG", "dateRange": "3d"]
    server.request(1, "radar.ct.timeseriesGroups", params)
    server.request(2, "radar.ct.timeseriesGroups", params)
    // Both in flight and joined in one upstream call before the cancel (their tasks get there
    // when the machine lets them: waited for, not assumed).
    var before: JSONValue? = nil
    let joined = await waitUntil {
      before = await server.call(.string(UUID().uuidString), "server.stats")?["result"]
      return before?["inFlight"] == 2 && before?["upstream"]?["requests"] == 1 && before?["coalesced"] == 1
    }
    #expect(joined, "\(String(describing: before))")
    server.notify("$/cancelRequest", ["id": 1])
    let first = await server.response(1)
    #expect(first?.errorCode == -32800, "\(String(describing: first))")
    let after = try #require(await server.call(4, "server.stats")?["result"])
    #expect(after["inFlight"] == 1)
    #expect(after["upstream"]?["inFlight"] == 1, "the shared call goes on for caller 2")
    #expect(server.responses(2).isEmpty)
    server.notify("$/cancelRequest", ["id": 2])
    #expect(await server.response(2)?.errorCode == -32800)
    #expect(
      await waitUntil {
        await server.call(.string(UUID().uuidString), "server.stats")?["result"]?["upstream"]?["inFlight"] == 0
      },
      "the last one out cancels the shared call")
    #expect(try #require(await server.call(5, "server.stats")?["result"])["upstream"]?["requests"] == 1)
  }
}
