import Foundation
import JSON
import TestSupport
import Testing

/// `Tests/Cases/fidelity.json` (a copy of the shared fidelity cases): params, and what the real
/// Radar API makes of them (contract §5). Each entry runs on both backends: a local error is the
/// same -32602 from live and demo with zero upstream requests (checked on the fake's request
/// log); a forwarded request is checked on that log (path and repeated query keys), accepted by
/// the strict fake, and answered sensibly by the demo.
@Suite struct FidelityTests {
  /// What each case must give, in checkable form (the file's `expect` is prose).
  enum Outcome: Sendable {
    /// -32602 with exactly these violation paths.
    case invalid([String])
    /// Sent upstream to `path` (nil: any) with these repeated query keys, in this order per key.
    case forwarded(path: String?, query: [String: [String]])
  }

  static let expectations: [String: Outcome] = [
    "series-form-unset-boolean": .invalid(["/series/0/hasIps"]),
    "series-form-unset-enum": .invalid(["/series/0/product"]),
    "series-form-unset-string-filter": .forwarded(
      path: "/radar/netflows/timeseries_groups/PRODUCT",
      query: ["name": ["world", "us"], "dateRange": ["7d", "7d"], "location": ["", "US"]]),
    "scalar-broadcasts-to-every-series": .forwarded(
      path: nil, query: ["name": ["a", "b"], "dateRange": ["7d", "7d"]]),
    "one-element-array-stays-positional": .forwarded(path: nil, query: ["name": ["a", "b"], "dateRange": ["7d"]]),
    "limitPerGroup-on-two-value-dimension": .invalid(["/limitPerGroup"]),
    "tld-with-log-filter": .invalid(["/log"]),
    "series-of-unequal-duration": .invalid(["/dateRange/1"]),
    "control-range-same-duration-ok": .forwarded(
      path: "/radar/leaked_credential_checks/timeseries_groups/BOT_CLASS", query: ["dateRange": ["7d", "7dcontrol"]]),
    "percentage-change-needs-one-comparison": .invalid(["/normalization"]),
    "lower-case-dimension": .forwarded(path: "/radar/ct/timeseries_groups/CA", query: ["dateRange": ["7d"]]),
    "control-suffix-any-case": .forwarded(path: nil, query: ["dateRange": ["7d", "7dcontrol"]]),
    "series-named-meta": .invalid(["/name"]),
    "date-without-offset": .forwarded(
      path: nil, query: ["dateStart": ["2026-11-01T00:00:00Z"], "dateEnd": ["2026-11-02T00:00:00Z"]]),
    // The file says /dateStart/0; the value is a scalar, so the JSON Pointer to it is /dateStart.
    "leap-second": .invalid(["/dateStart"]),
    "interval-seconds-huge": .invalid(["/intervalSeconds"]),
  ]

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let method: String
    let params: JSONValue
    var testDescription: String { name }
  }

  static let file = ServerProcess.repositoryRoot.appendingPathComponent("Tests/Cases/fidelity.json")

  static let cases: [Case] = {
    guard let data = try? Data(contentsOf: file), let entries = try? JSONParser.parse(Array(data)).arrayValue else {
      return []
    }
    return entries.map {
      Case(
        name: $0["case"]?.stringValue ?? "?", method: $0["method"]?.stringValue ?? "?", params: $0["params"] ?? .null)
    }
  }()

  @Test func everyCaseHasAnExpectation() {
    #expect(Self.cases.count == 16)
    #expect(Set(Self.cases.map(\.name)) == Set(Self.expectations.keys))
  }

  @Test(arguments: cases)
  func onBothBackends(_ testCase: Case) async throws {
    let outcome = try #require(Self.expectations[testCase.name])
    let fake = try await FakeCloudflare.start()
    let live = try fake.server(["--retries", "0"])
    let demo = try ServerProcess.demo()
    let liveAnswer = try #require(await live.call(1, testCase.method, testCase.params))
    let demoAnswer = try #require(await demo.call(1, testCase.method, testCase.params))
    let sent = try await fake.requests()

    switch outcome {
    case .invalid(let paths):
      let error = try #require(liveAnswer["error"], "\(testCase.name): \(liveAnswer)")
      #expect(error["code"] == -32602)
      #expect(error["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == paths)
      #expect(demoAnswer["error"] == error, "local errors are identical for live and demo")
      #expect(sent.isEmpty, "\(testCase.name): nothing goes upstream, got \(sent.map { $0["query"] ?? .null })")
      // The server goes on.
      #expect(await live.call(2, "server.stats")?["result"] != nil)

    case .forwarded(let path, let query):
      #expect(liveAnswer["result"]?["meta"] != nil, "\(testCase.name): the strict fake accepts it: \(liveAnswer)")
      #expect(sent.count == 1)
      let request = try #require(sent.last)
      if let path { #expect(request["path"]?.stringValue == path) }
      let items = Self.queryItems(request["query"]?.stringValue ?? "")
      for (name, values) in query {
        #expect(items.filter { $0.name == name }.map(\.value) == values, "\(testCase.name): \(name)")
      }
      // The demo answers it sensibly: meta plus one series per name (or serie_i).
      let result = try #require(demoAnswer["result"]?.objectValue, "\(testCase.name): \(demoAnswer)")
      let names = items.filter { $0.name == "name" }.map(\.value)
      let seriesCount = max(1, Dictionary(grouping: items, by: \.name).values.map(\.count).max() ?? 1)
      let keys = (0..<seriesCount).map { $0 < names.count && !names[$0].isEmpty ? names[$0] : "serie_\($0)" }
      #expect(result.keys == ["meta"] + keys)
      let schema = try await ResultSchema.discover(from: demo)
      #expect(schema.violations(method: testCase.method, result: .object(result)) == [])
      #expect(schema.violations(method: testCase.method, result: liveAnswer["result"]!) == [])
    }
  }

  /// `a=1&a=&b=x%20y` as (name, value) pairs in order, percent-decoded.
  static func queryItems(_ query: String) -> [(name: String, value: String)] {
    query.split(separator: "&").map { pair in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
      }
      return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
    }
  }
}
