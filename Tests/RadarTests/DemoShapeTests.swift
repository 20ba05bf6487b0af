import Foundation
import JSON
import Radar
import Testing

/// Every method × dimension answers in Cloudflare's `result` shape.
@Suite("Demo backend: shape of every method and dimension")
struct DemoShapeTests {
  static let cases = DemoFixture.everyDimension.map { "\($0.0.template.split(separator: "/")[1])|\($0.1)" }

  static func endpoint(_ id: String) -> (DemoFixture.Endpoint, String) {
    let parts = id.split(separator: "|").map(String.init)
    let endpoint = DemoFixture.endpoints.first { $0.template.split(separator: "/")[1] == parts[0] }!
    return (endpoint, parts[1])
  }

  @Test("timestamps and group arrays are parallel, values are numbers, time is aligned", arguments: cases)
  func shape(_ id: String) throws {
    let (endpoint, dimension) = Self.endpoint(id)
    for (range, interval, step) in [("1d", "15m", 900), ("7d", "1h", 3_600), ("4w", "1d", 86_400)]
      as [(String, String, Int64)]
    {
      let answer = try DemoFixture.answer(endpoint, dimension, [("dateRange", range), ("aggInterval", interval)])
      #expect(answer.keys == ["meta", "serie_0"])
      let series = try DemoSeries(answer["serie_0"]?.objectValue)
      #expect(!series.keys.isEmpty, "\(id) has groups")
      let seconds = try series.seconds()
      #expect(series.timestamps.allSatisfy { $0.hasSuffix(":00Z") && $0.count == 20 })
      #expect(seconds.count == Int(try DemoWindowLength.days(range) * 86_400 / step))
      for (a, b) in zip(seconds, seconds.dropFirst()) { #expect(b - a == step) }
      #expect(seconds.allSatisfy { $0 % step == 0 })
      // The last bucket is the current one, still filling: it holds now.
      #expect((seconds.last ?? 0) <= DemoFixture.nowSeconds && DemoFixture.nowSeconds < (seconds.last ?? 0) + step)
      for key in series.keys {
        #expect(series.values[key]!.count == series.timestamps.count, "\(id) \(key)")
        #expect(series.values[key]!.allSatisfy { $0.isFinite && $0 >= 0 })
      }
    }
  }

  @Test(
    "the same clock gives the same answer; the clock moves only the current bucket; another bucket moves the window",
    arguments: cases)
  func determinism(_ id: String) throws {
    let (endpoint, dimension) = Self.endpoint(id)
    let items = [("dateRange", "2d"), ("dateRange", "2dcontrol"), ("aggInterval", "1h")]
    let first = try DemoFixture.answer(endpoint, dimension, items)
    let same = DemoBackend(now: { DemoFixture.now })  // another backend, the same clock
    #expect(try DemoFixture.answer(endpoint, dimension, items, backend: same) == first)
    // A minute later (the same hour): only the current bucket of the main series has changed.
    let minute = try DemoFixture.answer(
      endpoint, dimension, items, backend: DemoBackend(now: { DemoFixture.now.addingTimeInterval(60) }))
    let a = try DemoSeries(first["serie_0"]?.objectValue)
    let m = try DemoSeries(minute["serie_0"]?.objectValue)
    #expect(m.timestamps == a.timestamps)
    #expect(m.keys.contains { m.texts[$0]!.last != a.texts[$0]!.last }, "\(id): the current bucket moves")
    for key in a.keys where m.keys.contains(key) {
      #expect(Array(m.texts[key]!.dropLast()) == Array(a.texts[key]!.dropLast()), "\(id) \(key)")
    }
    #expect(minute["serie_1"] == first["serie_1"], "a control window has no current bucket")
    // An hour later the window has moved: the complete buckets it shares keep their values (a
    // point depends on its time, not on the window); the bucket that was filling has settled.
    let later = DemoBackend(now: { DemoFixture.now.addingTimeInterval(3_600) })
    let moved = try DemoFixture.answer(endpoint, dimension, items, backend: later)
    #expect(moved != first)
    let b = try DemoSeries(moved["serie_0"]?.objectValue)
    #expect(Array(a.timestamps.dropFirst()) == Array(b.timestamps.dropLast()))
    for key in a.keys where key != "other" && b.keys.contains(key) {
      #expect(Array(a.texts[key]!.dropFirst().dropLast()) == Array(b.texts[key]!.dropLast(2)), "\(id) \(key)")
    }
  }

  @Test("the current bucket settles to the value it keeps once complete, deterministically per second")
  func fillingBucket() throws {
    let items = [("dateRange", "1d"), ("aggInterval", "1h"), ("normalization", "MIN0_MAX")]
    let hour = DemoFixture.nowSeconds / 3_600 * 3_600
    func lastValues(at seconds: Int64) throws -> (String, [String: String]) {
      let backend = DemoBackend(now: { Date(timeIntervalSince1970: TimeInterval(seconds)) })
      let series = try DemoSeries(
        try DemoFixture.answer(DemoFixture.netflows, "PRODUCT", items, backend: backend)["serie_0"]?.objectValue)
      return (series.timestamps.last!, series.texts.mapValues { $0.last! })
    }
    // Every second of the hour is another answer, and the same second always the same one.
    let seconds = stride(from: hour, to: hour + 3_600, by: 397).map { $0 }
    let answers = try seconds.map { try lastValues(at: $0).1 }
    #expect(Set(answers.map { $0.description }).count == seconds.count)
    #expect(try lastValues(at: hour + 397).1 == answers[1])
    // An hour later the bucket is complete, and its value is what the deviation shrank towards.
    #expect(try lastValues(at: hour + 3_600).0 != (try lastValues(at: hour).0))
    let backend = DemoBackend(now: { Date(timeIntervalSince1970: TimeInterval(hour + 3_600 + 1_800)) })
    let series = try DemoSeries(
      try DemoFixture.answer(DemoFixture.netflows, "PRODUCT", items, backend: backend)["serie_0"]?.objectValue)
    let complete = series.values.mapValues { $0[$0.count - 2] }
    let early = try lastValues(at: hour + 1).1.mapValues { Double($0)! }
    let late = try lastValues(at: hour + 3_599).1.mapValues { Double($0)! }
    for key in complete.keys where key != "other" {
      let final = complete[key]!
      #expect(abs(late[key]! - final) <= abs(early[key]! - final) + 0.001 * final + 0.0001, "\(key)")
      #expect(abs(late[key]! - final) <= 0.002 * final + 0.0001, "\(key): one second before the end, all but settled")
    }
  }

  @Test("meta is complete", arguments: cases)
  func meta(_ id: String) throws {
    let (endpoint, dimension) = Self.endpoint(id)
    let answer = try DemoFixture.answer(endpoint, dimension, [("dateRange", "7d"), ("dateRange", "7dcontrol")])
    let meta = try #require(answer["meta"]?.objectValue)
    #expect(meta.keys == ["aggInterval", "confidenceInfo", "dateRange", "lastUpdated", "normalization", "units"])
    #expect(meta["aggInterval"]?.stringValue == "ONE_HOUR")
    #expect(meta["confidenceInfo"]?["annotations"]?.arrayValue == [])
    #expect(meta["confidenceInfo"]?["level"]?.intValue == 5)
    #expect(meta["dateRange"]?.arrayValue?.count == 2)
    #expect(try demoSeconds(meta["lastUpdated"]?.stringValue) == DemoFixture.nowSeconds / 900 * 900)
    #expect(meta["normalization"]?.stringValue == "PERCENTAGE")
    #expect(meta["units"]?.arrayValue?.first?["name"]?.stringValue == "*")
    #expect(meta["units"]?.arrayValue?.first?["value"]?.stringValue?.isEmpty == false)
  }

  @Test("group keys a Radar user recognises")
  func recognisableKeys() throws {
    func keys(_ endpoint: DemoFixture.Endpoint, _ dimension: String, _ extra: [(String, String)] = []) throws -> Set<
      String
    > {
      let answer = try DemoFixture.answer(endpoint, dimension, [("dateRange", "1d"), ("limitPerGroup", "40")] + extra)
      return Set(try DemoSeries(answer["serie_0"]?.objectValue).keys)
    }
    func small(_ endpoint: DemoFixture.Endpoint, _ dimension: String) throws -> Set<String> {
      Set(
        try DemoSeries(try DemoFixture.answer(endpoint, dimension, [("dateRange", "1d")])["serie_0"]?.objectValue).keys)
    }
    #expect(try keys(DemoFixture.ct, "CA").isSuperset(of: ["R10", "R11", "E5", "WR1", "Amazon RSA 2048 M02"]))
    #expect(
      try keys(DemoFixture.ct, "CA_OWNER").isSuperset(of: [
        "Internet Security Research Group", "DigiCert", "Sectigo", "Google Trust Services LLC", "GlobalSign nv-sa",
      ]))
    #expect(
      try keys(DemoFixture.ct, "LOG").isSuperset(of: [
        "Google 'Argon2026h1'", "Cloudflare 'Nimbus2026'", "Let's Encrypt 'Oak2026h1'",
      ]))
    #expect(try keys(DemoFixture.ct, "LOG_OPERATOR").isSuperset(of: ["Google", "Cloudflare", "DigiCert", "Sectigo"]))
    #expect(try keys(DemoFixture.ct, "TLD").isSuperset(of: ["com", "net", "org", "de", "io"]))
    #expect(try keys(DemoFixture.ct, "SIGNATURE_ALGORITHM").isSuperset(of: ["RSA_SHA_256", "ECDSA_SHA_384"]))
    #expect(try small(DemoFixture.ct, "DURATION").contains("gt_31d_lte_91d"))
    #expect(try small(DemoFixture.ct, "LOG_API") == ["rfc6962", "static"])
    #expect(try small(DemoFixture.ct, "ENTRY_TYPE") == ["CERTIFICATE", "PRECERTIFICATE"])
    #expect(try small(DemoFixture.ct, "EXPIRATION_STATUS") == ["EXPIRED", "VALID"])
    #expect(try small(DemoFixture.ct, "HAS_IPS") == ["NEGATIVE", "POSITIVE"])
    #expect(try small(DemoFixture.ct, "PUBLIC_KEY_ALGORITHM") == ["DSA", "ECDSA", "RSA"])
    #expect(try small(DemoFixture.ct, "VALIDATION_LEVEL") == ["domain", "organization", "extended", "unknown"])
    #expect(try small(DemoFixture.leaked, "COMPROMISED") == ["CLEAN", "COMPROMISED"])
    #expect(try small(DemoFixture.leaked, "BOT_CLASS") == ["bot", "human"])
    #expect(try small(DemoFixture.netflows, "PRODUCT") == ["HTTP", "ALL"])
    #expect(try keys(DemoFixture.netflows, "LOCATION").isSuperset(of: ["US", "DE", "BR", "IN", "PT"]))
    let asns = try keys(DemoFixture.netflows, "AS")
    #expect(asns.isSuperset(of: ["13335", "7922", "3320"]))
    #expect(asns.allSatisfy { $0 == "other" || Int($0) != nil }, "ASNs are numbers as strings, no names")
    let regions = try keys(DemoFixture.netflows, "ADM1")
    #expect(regions.isSuperset(of: ["US-CA", "PT-11", "DE-BY"]))
    #expect(
      regions.allSatisfy {
        $0 == "other" || $0.range(of: #"^[A-Z]{2}-[A-Z0-9]{1,3}$"#, options: .regularExpression) != nil
      })
  }

  @Test("an endpoint the demo does not know still gets a plausible answer")
  func unknownEndpoint() throws {
    let http = DemoFixture.Endpoint(
      method: "radar.http.timeseriesGroups", template: "/radar/http/timeseries_groups/{dimension}", dimensions: [])
    let located = try DemoFixture.answer(http, "LOCATION", [("dateRange", "1d")])
    #expect(try DemoSeries(located["serie_0"]?.objectValue).keys.contains("US"))
    let ai = DemoFixture.Endpoint(
      method: "radar.ai.inference.timeseriesGroups", template: "/radar/ai/inference/timeseries_groups/{dimension}",
      dimensions: [])
    let answer = try DemoFixture.answer(ai, "MODEL", [("dateRange", "2d"), ("limitPerGroup", "3")])
    let series = try DemoSeries(answer["serie_0"]?.objectValue)
    #expect(series.keys == ["model_1", "model_2", "model_3", "other"])
    #expect(series.timestamps.count == 48)
    for i in series.timestamps.indices { #expect(abs(series.total(at: i) - 100) < 1e-9) }
    #expect(answer["meta"]?["units"]?.arrayValue?.first?["value"]?.stringValue == "requests")
    let ranking = try DemoFixture.backend.result(
      for: RadarRequest(
        method: "radar.ranking.timeseriesGroups", pathTemplate: "/radar/ranking/timeseries_groups",
        path: "/radar/ranking/timeseries_groups", queryItems: [QueryItem("dateRange", "1d")]))
    #expect(try DemoSeries(ranking.value["serie_0"]?.objectValue).keys.first == "ranking_1")
  }
}

/// The length of a `dateRange` value, read independently of the code under test.
enum DemoWindowLength {
  static func days(_ range: String) throws -> Int64 {
    let body = range.lowercased().replacingOccurrences(of: "control", with: "")
    let n = try #require(Int64(body.dropLast()))
    return body.hasSuffix("w") ? n * 7 : n
  }
}
