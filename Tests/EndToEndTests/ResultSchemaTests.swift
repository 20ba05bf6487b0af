import JSON
import TestSupport
import Testing

/// Answers against the result schema the server publishes in `rpc.discover` (contract §5: the
/// published schema accepts every answer the real API gives). ``ResultSchema`` is the validator;
/// any answer can be handed to it.
@Suite struct ResultSchemaTests {
  /// Every demo answer: every method and dimension, alone and with the parameters that change an
  /// answer's shape (several named series, control ranges, CSV, every normalization, limitPerGroup
  /// where the method's rules allow it, partial results).
  @Test func everyDemoAnswerFitsTheDiscoveredSchema() async throws {
    let server = try ServerProcess.demo()
    let schema = try await ResultSchema.discover(from: server)
    let document = schema.table.document
    var id = 0
    var checked = 0
    for (method, dimensions) in schema.radarMethods {
      let normalizations = Self.enumValues(document, method: method, param: "normalization")
      let manyGroups = Self.limitPerGroupDimensions(document, method: method)
      for dimension in dimensions {
        var variants: [JSONObject] = [
          ["dateRange": "1d"],
          ["dateRange": "1d", "format": "CSV"],
          [
            "aggInterval": "1d",
            "series": [["name": "now", "dateRange": "28d"], ["name": "before", "dateRange": "28dControl"]],
          ],
          ["dateStart": "2026-01-01T00:00:00", "dateEnd": "2026-01-02T00:00:00Z", "aggInterval": "1h"],
          ["dateRange": "1d", "name": "format", "partialResultToken": "p"],
        ]
        for normalization in normalizations {
          variants.append(["dateRange": ["7d", "7dcontrol"], "normalization": .string(normalization)])
        }
        if manyGroups.contains(dimension) { variants.append(["dateRange": "1d", "limitPerGroup": 3]) }
        for var params in variants {
          params["dimension"] = .string(dimension)
          id += 1
          let answer = try #require(await server.call(.number(JSONNumber(id)), method, .object(params)))
          let result = try #require(answer["result"], "\(method) \(params): \(answer)")
          #expect(schema.violations(method: method, result: result) == [], "\(method) \(params)")
          checked += 1
        }
      }
    }
    #expect(checked > 150)
  }

  /// Real answers radar-rpc passes through unchanged, served by the fake: `confidenceInfo.level:
  /// null` (seen live), a CT series without `timestamps` (one of the spec's own shapes), meta
  /// without the members Cloudflare's docs call optional.
  @Test func realAnswerShapesFitTheDiscoveredSchema() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--retries", "0", "--cache-ttl", "0"])
    let schema = try await ResultSchema.discover(from: server)
    let bodies: [JSONValue] = [
      [
        "success": true, "errors": [], "messages": [],
        "result": [
          "meta": [
            "aggInterval": "ONE_HOUR", "confidenceInfo": ["level": .null, "annotations": []],
            "dateRange": [["startTime": "2025-01-18T00:00:00Z", "endTime": "2025-01-25T00:00:00Z"]],
            "lastUpdated": "2025-01-25T10:45:00Z", "normalization": "PERCENTAGE",
            "units": [["name": "*", "value": "requests"]],
          ],
          "serie_0": ["timestamps": ["2025-01-18T00:00:00Z"], "rfc6962": ["60.1"], "static": ["39.9"]],
        ],
      ],
      [
        "success": true, "errors": [],
        "result": [
          "meta": ["lastUpdated": "2025-01-25T10:45:00Z"], "serie_0": ["rfc6962": ["60.1"], "static": ["39.9"]],
        ],
      ],
    ]
    // The validator is not vacuous: values that are not numeric strings, or a level that is text, fail.
    #expect(
      schema.violations(
        method: "radar.ct.timeseriesGroups",
        result: ["meta": ["confidenceInfo": ["level": "high"]], "serie_0": ["static": [39.9]]]
      ).count == 2)
    for (index, body) in bodies.enumerated() {
      try await fake.script([fault("raw", ["status": 200, "body": .string(JSONWriter.string(body))])])
      let answer = try #require(
        await server.call(
          .number(JSONNumber(index)), "radar.ct.timeseriesGroups", ["dimension": "LOG_API", "dateRange": "7d"]))
      let result = try #require(answer["result"], "\(answer)")
      #expect(result == body["result"], "passed through unchanged")
      #expect(schema.violations(method: "radar.ct.timeseriesGroups", result: result) == [])
    }
  }

  /// A series named `format` is a series, not CSV: partial results still stream it (contract §5).
  @Test func aSeriesNamedFormatStillStreams() async throws {
    let server = try ServerProcess.demo()
    let answer = try #require(
      await server.call(
        1, "radar.netflows.timeseriesGroups",
        ["dimension": "PRODUCT", "dateRange": "1d", "name": "format", "partialResultToken": "p"]))
    #expect(answer["result"]?.objectValue?.keys == ["meta"])
    let partials = server.notifications("$/progress").filter { $0["params"]?["token"] == "p" }
    #expect(partials.count == 1)
    #expect(partials.first?["params"]?["value"]?["format"]?["timestamps"] != nil)
  }

  static func params(_ document: JSONValue, method: String) -> [JSONValue] {
    document["methods"]?.arrayValue?.first { $0["name"]?.stringValue == method }?["params"]?.arrayValue ?? []
  }

  /// The enum of a method's parameter, following `$ref`s into the document.
  static func enumValues(_ document: JSONValue, method: String, param: String) -> [String] {
    func resolve(_ value: JSONValue) -> JSONValue {
      guard let reference = value["$ref"]?.stringValue else { return value }
      var target = document
      for token in reference.dropFirst(2).split(separator: "/") { target = target[String(token)] ?? .null }
      return resolve(target)
    }
    let descriptor = params(document, method: method).map(resolve).first { $0["name"]?.stringValue == param }
    return descriptor.flatMap { resolve($0["schema"] ?? .null)["enum"]?.arrayValue?.compactMap(\.stringValue) } ?? []
  }

  /// The dimensions on which the method's `x-radar-rules` allow limitPerGroup.
  static func limitPerGroupDimensions(_ document: JSONValue, method: String) -> [String] {
    let rules = document["methods"]?.arrayValue?.first { $0["name"]?.stringValue == method }?["x-radar-rules"]
    let rule = rules?.arrayValue?.first { $0["rule"] == "onlyWhen" && $0["param"] == "limitPerGroup" }
    return rule?["when"]?["dimension"]?.arrayValue?.compactMap(\.stringValue) ?? []
  }
}
