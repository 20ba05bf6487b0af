import Foundation
import JSON
import Radar
import Testing

@testable import RadarProtocol

@Suite("Method table")
struct MethodTableTests {
  let table = Fixtures.table

  /// The dimensions of contract.md section 5, copied here so the document cannot drift from it.
  static let contract: [(method: String, path: String, dimensions: [String])] = [
    (
      "radar.ct.timeseriesGroups", "/radar/ct/timeseries_groups/{dimension}",
      [
        "CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API",
        "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL",
      ]
    ),
    (
      "radar.leakedCredentialChecks.timeseriesGroups", "/radar/leaked_credential_checks/timeseries_groups/{dimension}",
      ["COMPROMISED", "BOT_CLASS"]
    ),
    (
      "radar.netflows.timeseriesGroups", "/radar/netflows/timeseries_groups/{dimension}",
      ["ADM1", "AS", "LOCATION", "PRODUCT"]
    ),
  ]

  @Test func methodNames() {
    #expect(table.radarMethodNames == Self.contract.map(\.method))
    #expect(
      table.methodNames == Self.contract.map(\.method) + [
        "initialize", "initialized", "shutdown", "exit", "$/cancelRequest", "rpc.discover", "server.stats",
        "radar.subscribe",
        "radar.unsubscribe",
      ])
    #expect(table.radarMethod(named: "server.stats") == nil)
    #expect(table.radarMethod(named: "radar.ct.timeseriesgroups") == nil)
    #expect(table.contains("rpc.discover"))
    #expect(!table.contains("rpc.discover2"))
    #expect(["initialized", "exit", "$/cancelRequest"].allSatisfy(table.isNotification))
    #expect(!table.isNotification("shutdown"))
  }

  @Test(arguments: contract.indices)
  func everyDimensionOfEveryMethod(_ index: Int) throws {
    let expected = Self.contract[index]
    let method = try #require(table.radarMethod(named: expected.method))
    #expect(method.pathTemplate == expected.path)
    #expect(method.dimensions == expected.dimensions)
    for dimension in expected.dimensions {
      let request = try method.makeRequest(params: ["dimension": .string(dimension), "dateRange": "7d"])
      #expect(request.path == expected.path.replacingOccurrences(of: "{dimension}", with: dimension))
      #expect(request.method == expected.method)
      #expect(request.queryString == "dateRange=7d")
      // Any case: the lower-case spelling Cloudflare's own clients send asks for the same request.
      #expect(
        try method.makeRequest(params: ["dimension": .string(dimension.lowercased()), "dateRange": "7d"]) == request)
    }
  }

  @Test func methodNamesFollowTheContractRule() throws {
    // "the upstream path below /radar/, without {dimension}, each segment in lowerCamelCase, joined by dots"
    for name in table.radarMethodNames {
      let method = try #require(table.radarMethod(named: name))
      let segments = method.pathTemplate.split(separator: "/").dropFirst().filter { !$0.hasPrefix("{") }.map {
        segment in
        let words = segment.split(separator: "_")
        return words.first!.lowercased() + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
      }
      #expect("radar." + segments.joined(separator: ".") == name)
    }
  }

  @Test func genericParamsValidation() {
    #expect(table.paramViolations(method: "shutdown", params: nil).isEmpty)
    #expect(table.paramViolations(method: "shutdown", params: []).isEmpty)
    #expect(table.paramViolations(method: "shutdown", params: [:]).isEmpty)
    #expect(
      table.paramViolations(method: "shutdown", params: [1]).map(\.message) == [
        "params must be an object (by name), not an array"
      ])
    #expect(table.paramViolations(method: "$/cancelRequest", params: [:]).map(\.path) == ["/id"])
    #expect(table.paramViolations(method: "$/cancelRequest", params: ["id": 1.5]).map(\.path) == ["/id"])
    #expect(table.paramViolations(method: "$/cancelRequest", params: ["id": "a"]).isEmpty)
    let subscribe = table.paramViolations(
      method: "radar.subscribe", params: ["method": "radar.ct.timeseriesGroups", "params": [:], "intervalSecond": 0])
    #expect(subscribe.map(\.suggestion) == ["intervalSeconds"])
    #expect(
      table.paramViolations(method: "radar.subscribe", params: ["method": "m", "params": [:], "intervalSeconds": 0])
        .map(\.message) == ["must be from 1 to 86400 (got 0)"])
    #expect(
      table.paramViolations(method: "radar.subscribe", params: ["method": "m", "params": [:], "intervalSeconds": 60])
        .isEmpty)
    // LSP clients send many initialize params; only the described ones are checked.
    #expect(
      table.paramViolations(method: "initialize", params: ["processId": nil, "rootUri": "file:///", "trace": "off"])
        .isEmpty)
    // LSP types initializationOptions as LSPAny: a client without options may send null.
    #expect(
      table.paramViolations(
        method: "initialize", params: ["processId": nil, "capabilities": nil, "initializationOptions": nil]
      ).isEmpty)
    #expect(
      table.paramViolations(method: "initialize", params: ["initializationOptions": ["apiToken": 5]]).map(\.path) == [
        "/initializationOptions/apiToken"
      ])
    #expect(table.paramViolations(method: "no.such.method", params: [1]).isEmpty)
  }

  @Test func resultSchemas() {
    let result: JSONValue = [
      "meta": [
        "aggInterval": "ONE_HOUR", "confidenceInfo": ["annotations": [], "level": 5], "dateRange": [],
        "lastUpdated": "2026-01-08T00:00:00Z", "normalization": "PERCENTAGE", "units": [], "newField": 1,
      ],
      "serie_0": ["timestamps": ["2026-01-08T00:00:00Z"], "US": ["1.5"]],
    ]
    #expect(table.resultViolations(method: "radar.netflows.timeseriesGroups", result: result).isEmpty)
    #expect(
      table.resultViolations(method: "radar.netflows.timeseriesGroups", result: ["format": "CSV", "csv": "a,b\n"])
        .isEmpty)
    // Values must be numeric strings.
    var bad = result.objectValue!
    bad["serie_0"] = ["timestamps": ["2026-01-08T00:00:00Z"], "US": [1.5]]
    #expect(!table.resultViolations(method: "radar.netflows.timeseriesGroups", result: .object(bad)).isEmpty)
    #expect(table.resultViolations(method: "shutdown", result: nil).isEmpty)
    #expect(table.resultViolations(method: "radar.unsubscribe", result: true).isEmpty)
    #expect(!table.resultViolations(method: "radar.unsubscribe", result: false).isEmpty)
  }

  @Test func theDocumentsOwnExamplesAreValid() throws {
    let document = table.document
    var checked = 0
    for method in document["methods"]!.arrayValue! {
      let name = method["name"]!.stringValue!
      for example in method["examples"]?.arrayValue ?? [] {
        var params = JSONObject()
        for param in example["params"]!.arrayValue! { params[param["name"]!.stringValue!] = param["value"]! }
        if let radar = table.radarMethod(named: name) {
          let request = try radar.makeRequest(params: .object(params))
          if let description = example["description"]?.stringValue, let range = description.range(of: "/radar/") {
            // Examples that name their upstream request must name the canonical one.
            #expect(request.key == String(description[range.lowerBound...]), "\(name): \(example["name"]!)")
          }
        } else {
          #expect(table.paramViolations(method: name, params: .object(params)).isEmpty)
        }
        if let result = example["result"]?["value"] {
          #expect(table.resultViolations(method: name, result: result).isEmpty, "\(name): \(example["name"]!)")
        }
        checked += 1
      }
    }
    #expect(checked >= 6)
  }
}
