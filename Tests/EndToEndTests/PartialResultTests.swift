import JSON
import Testing

/// `partialResultToken`: each series as one `$/progress`, then the response with `meta` alone (contract §6).
@Suite struct PartialResultTests {
  static let params: JSONValue = [
    "dimension": "LOCATION", "dateRange": "2d", "aggInterval": "1h",
    "series": [["name": "us", "location": "US"], ["name": "pt", "location": "PT"], ["name": "all"]],
  ]

  static func withTokens(_ tokens: JSONObject) -> JSONValue {
    var object = params.objectValue!
    for (key, value) in tokens { object[key] = value }
    return .object(object)
  }

  @Test func oneNotificationPerSeriesBeforeTheResponse() async throws {
    // The second call is a cache hit of the first, so the two agree even when the demo's current
    // hour turns between them (a test run that crossed 05:00 saw the last values differ).
    let server = try ServerProcess.demo(["--cache-ttl", "3600"])
    let full = try #require(
      await server.call(1, "radar.netflows.timeseriesGroups", Self.params)?["result"]?.objectValue)
    let response = try #require(
      await server.call(2, "radar.netflows.timeseriesGroups", Self.withTokens(["partialResultToken": "p"])))
    #expect(response["result"] == .object(["meta": full["meta"]!]))
    let partials = server.notifications("$/progress").filter { $0["params"]?["token"] == "p" }
    #expect(partials.count == 3)
    var rebuilt: JSONObject = ["meta": full["meta"]!]
    for partial in partials {
      let value = try #require(partial["params"]?["value"]?.objectValue)
      #expect(value.count == 1)
      for (key, series) in value { rebuilt[key] = series }
    }
    #expect(Set(rebuilt.keys) == ["meta", "us", "pt", "all"])
    #expect(rebuilt == full)
    // All partials precede the response.
    let responseIndex = try #require(server.messages.firstIndex { $0["id"] == 2 })
    #expect(
      server.messages.indices.filter { server.messages[$0]["params"]?["token"] == "p" }.allSatisfy {
        $0 < responseIndex
      })
  }

  /// With both tokens: begin, the partials, end, the response.
  @Test func withWorkDoneProgress() async throws {
    let server = try ServerProcess.demo()
    let params = Self.withTokens(["partialResultToken": 7, "workDoneToken": 8])
    #expect(await server.call(1, "radar.netflows.timeseriesGroups", params)?["result"]?.objectValue?.keys == ["meta"])
    let sequence = server.notifications("$/progress").map { note -> String in
      note["params"]?["token"] == 8 ? (note.progressKind ?? "?") : "partial"
    }
    #expect(sequence == ["begin", "partial", "partial", "partial", "end"])
  }

  /// CSV has no series to split: the whole result comes in the response.
  @Test func csvIsNotSplit() async throws {
    let server = try ServerProcess.demo()
    var params = Self.withTokens(["partialResultToken": "csv"]).objectValue!
    params["format"] = "CSV"
    let result = await server.call(1, "radar.netflows.timeseriesGroups", .object(params))?["result"]
    #expect(result?["format"] == "CSV")
    #expect(server.notifications("$/progress").isEmpty)
  }
}
