import JSON
import Radar
import Testing

@testable import RadarProtocol

/// Adding a Radar endpoint is data: a document with one more method yields a working method
/// with no Swift changes.
@Suite("An endpoint added to the document")
struct ExtraEndpointTests {
  static let httpMethod: JSONValue = [
    "name": "radar.http.timeseriesGroups",
    "summary": "HTTP requests by dimension over time",
    "paramStructure": "by-name",
    "x-radar-path": "/radar/http/timeseries_groups/{dimension}",
    "params": [
      [
        "name": "dimension", "required": true, "x-radar-in": "path",
        "schema": ["type": "string", "enum": ["ADM1", "AS", "BOT_CLASS", "BROWSER", "DEVICE_TYPE", "LOCATION", "OS"]],
      ],
      ["$ref": "#/components/contentDescriptors/aggInterval"],
      ["$ref": "#/components/contentDescriptors/name"],
      ["$ref": "#/components/contentDescriptors/dateRange"],
      ["$ref": "#/components/contentDescriptors/dateStart"],
      ["$ref": "#/components/contentDescriptors/dateEnd"],
      ["$ref": "#/components/contentDescriptors/asn"],
      ["$ref": "#/components/contentDescriptors/location"],
      [
        "name": "deviceType", "x-radar-series": true,
        "schema": [
          "anyOf": [
            ["type": "string", "enum": ["DESKTOP", "MOBILE", "OTHER"]],
            ["type": "array", "items": ["type": "string", "enum": ["DESKTOP", "MOBILE", "OTHER"]]],
          ]
        ],
      ],
      ["name": "normalization", "schema": ["type": "string", "enum": ["PERCENTAGE", "MIN0_MAX"]]],
      ["$ref": "#/components/contentDescriptors/format"],
      ["$ref": "#/components/contentDescriptors/series"],
      ["$ref": "#/components/contentDescriptors/workDoneToken"],
    ],
    "result": ["name": "result", "schema": ["$ref": "#/components/schemas/RadarResult"]],
    "errors": [["$ref": "#/components/errors/InvalidParams"]],
  ]

  static func document(adding method: JSONValue) -> JSONValue {
    var root = MethodTable.embedded.document.objectValue!
    root["methods"] = .array(root["methods"]!.arrayValue! + [method])
    return .object(root)
  }

  /// A backend double that records what it was asked and answers with a fixed result.
  actor RecordingBackend: RadarBackend {
    nonisolated let name = "test"
    private(set) var requests: [RadarRequest] = []
    func fetch(_ request: RadarRequest) async throws -> RadarResult {
      requests.append(request)
      return RadarResult(value: ["meta": [:], "serie_0": ["timestamps": []]], byteCount: 0)
    }
  }

  @Test func newEndpointWorksFromTheDocumentAlone() async throws {
    let table = try MethodTable(document: Self.document(adding: Self.httpMethod))
    #expect(table.radarMethodNames.last == "radar.http.timeseriesGroups")
    #expect(table.methodNames.contains("radar.http.timeseriesGroups"))
    #expect(table.document["methods"]?.arrayValue?.count == MethodTable.embedded.methodNames.count + 1)
    let method = try #require(table.radarMethod(named: "radar.http.timeseriesGroups"))
    #expect(method.dimensions.contains("DEVICE_TYPE"))

    let request = try method.makeRequest(
      params: Fixtures.json(
        #"{"dimension":"DEVICE_TYPE","dateRange":"7d","workDoneToken":1,"series":[{"name":"pt","location":["PT","ES"],"deviceType":"MOBILE"},{"name":"us","asn":"-174"}],"normalization":"MIN0_MAX"}"#
      ))
    #expect(request.method == "radar.http.timeseriesGroups")
    #expect(request.path == "/radar/http/timeseries_groups/DEVICE_TYPE")
    #expect(
      request.queryString
        == "name=pt&name=us&dateRange=7d&dateRange=7d&asn=&asn=-174&location=PT%2CES&deviceType=MOBILE&normalization=MIN0_MAX"
    )

    let backend = RecordingBackend()
    let result = try await backend.fetch(request)
    #expect(result.value["meta"] != nil)
    #expect(await backend.requests == [request])

    let violations = Fixtures.violations(
      method, Fixtures.json(#"{"dimension":"DEVICE_TYP","deviceType":["mobil"],"product":"HTTP"}"#))
    #expect(Set(violations.map(\.path)) == ["/dimension", "/deviceType/0", "/product"])
    #expect(violations.first { $0.path == "/deviceType/0" }?.suggestion == "MOBILE")
    // The shipped methods are untouched.
    #expect(
      try table.radarMethod(named: "radar.ct.timeseriesGroups")!.makeRequest(params: ["dimension": "CA"]).path
        == "/radar/ct/timeseries_groups/CA")
  }

  @Test func brokenEndpointsAreRejectedAtLoad() {
    func load(_ change: (inout JSONObject) -> Void) -> DocumentError? {
      var method = Self.httpMethod.objectValue!
      change(&method)
      do {
        _ = try MethodTable(document: Self.document(adding: .object(method)))
        return nil
      } catch {
        return error
      }
    }
    #expect(load { _ in } == nil)
    #expect(load { $0["x-radar-path"] = "/radar/http/timeseries_groups/{dim}" }?.message.contains("{dim}") == true)
    #expect(load { $0["x-radar-path"] = "/radar/http/timeseries_groups" }?.message.contains("does not appear") == true)
    #expect(
      load {
        $0["params"] = .array(
          $0["params"]!.arrayValue! + [["name": "bad", "x-radar-series": true, "schema": ["type": "string"]]])
      }?
      .message.contains("per-series") == true)
    #expect(
      load {
        $0["params"] = .array($0["params"]!.arrayValue! + [["name": "x", "schema": ["type": "string", "not": [:]]]])
      }?
      .message.contains("not supported") == true)
    #expect(
      load { $0["params"] = .array($0["params"]!.arrayValue! + [["$ref": "#/components/contentDescriptors/nope"]]) }
        != nil)
    #expect(load { $0["result"] = nil } != nil)
    #expect(load { $0["name"] = "radar.ct.timeseriesGroups" }?.message.contains("twice") == true)
  }

  /// Contract §7: a number from params never traps, also where the document does not bound it. A
  /// `dateRange` without the shipped pattern, under the `sameDuration` rule: counts of days past
  /// what seconds fit in are not compared (and not multiplied into an overflow), others still are.
  @Test func aRangeTooLongToCountInSecondsIsNotATrap() throws {
    var method = Self.httpMethod.objectValue!
    var params = method["params"]!.arrayValue!.filter { $0["$ref"] != "#/components/contentDescriptors/dateRange" }
    params.append([
      "name": "dateRange", "x-radar-series": true, "x-radar-date": "range",
      "schema": ["anyOf": [["type": "string"], ["type": "array", "items": ["type": "string"]]]],
    ])
    method["params"] = .array(params)
    method["x-radar-rules"] = [["rule": "sameDuration", "message": "same duration"]]
    let table = try MethodTable(document: Self.document(adding: .object(method)))
    let http = try #require(table.radarMethod(named: "radar.http.timeseriesGroups"))
    for huge in ["9223372036854775807d", "106751991167301d", "15250284452472w", "99999999999999999999999d", "-5d"] {
      let violations = Fixtures.violations(http, ["dimension": "OS", "dateRange": ["7d", .string(huge)]])
      #expect(violations.isEmpty, "\(huge): \(violations)")
    }
    let unequal = Fixtures.violations(http, ["dimension": "OS", "dateRange": ["7d", "1w", "106751991167300d"]])
    #expect(unequal.map(\.path) == ["/dateRange/2"], "\(unequal)")
  }
}
