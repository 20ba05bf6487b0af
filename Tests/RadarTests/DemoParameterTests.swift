import Foundation
import JSON
import Radar
import Testing

/// Series, `limitPerGroup` and filters shape the answer as Radar's do.
@Suite("Demo backend: series, limitPerGroup and filters")
struct DemoParameterTests {
  let ct = DemoFixture.ct
  let netflows = DemoFixture.netflows
  let leaked = DemoFixture.leaked

  static let highCardinality = [
    "ct|CA", "ct|CA_OWNER", "ct|LOG", "ct|LOG_OPERATOR", "ct|SIGNATURE_ALGORITHM", "ct|TLD",
    "netflows|ADM1", "netflows|AS", "netflows|LOCATION",
  ]
  /// Dimensions of two groups: Radar rejects limitPerGroup there (contract §5).
  static let twoGroups = [
    "ct|ENTRY_TYPE", "ct|EXPIRATION_STATUS", "ct|HAS_IPS", "ct|HAS_WILDCARDS", "ct|LOG_API",
    "leaked_credential_checks|COMPROMISED",
    "leaked_credential_checks|BOT_CLASS", "netflows|PRODUCT",
  ]
  /// Few groups, but more than two: limitPerGroup folds them too.
  static let fewGroups = DemoShapeTests.cases.filter { !highCardinality.contains($0) && !twoGroups.contains($0) }

  @Test("limitPerGroup keeps the top groups over the window and folds the rest into other", arguments: highCardinality)
  func limitPerGroup(_ id: String) throws {
    let (endpoint, dimension) = DemoShapeTests.endpoint(id)
    let everything = try DemoSeries(
      try DemoFixture.answer(
        endpoint, dimension, [("dateRange", "3d"), ("limitPerGroup", "100"), ("normalization", "RAW_VALUES")])[
          "serie_0"]?.objectValue)
    let limited = try DemoSeries(
      try DemoFixture.answer(
        endpoint, dimension, [("dateRange", "3d"), ("limitPerGroup", "3"), ("normalization", "RAW_VALUES")])[
          "serie_0"]?.objectValue)
    #expect(limited.keys.count == 4 && limited.keys.last == "other")
    let totals = everything.keys.filter { $0 != "other" }.map { key in (key, everything.values[key]!.reduce(0, +)) }
    let top = totals.sorted { $0.1 > $1.1 }.prefix(3).map(\.0)
    #expect(Array(limited.keys.prefix(3)) == top, "\(id): the three largest over the window, largest first")
    for i in limited.timestamps.indices {
      // Folding moves counts into other and loses none (±1 for rounding each group).
      #expect(abs(limited.total(at: i) - everything.total(at: i)) <= Double(everything.keys.count))
      #expect(limited.values["other"]![i] >= everything.values["other"]?[i] ?? 0)
    }
  }

  @Test("high-cardinality dimensions show the top 10 and other by default")
  func defaultLimit() throws {
    let series = try DemoSeries(try DemoFixture.answer(netflows, "AS", [("dateRange", "1d")])["serie_0"]?.objectValue)
    #expect(series.keys.count == 11 && series.keys.last == "other")
  }

  @Test("limitPerGroup on a dimension of more than two groups but few is accepted", arguments: fewGroups)
  func limitOnFewGroups(_ id: String) throws {
    let (endpoint, dimension) = DemoShapeTests.endpoint(id)
    let series = try DemoSeries(
      try DemoFixture.answer(endpoint, dimension, [("dateRange", "1d"), ("limitPerGroup", "2")])["serie_0"]?.objectValue
    )
    #expect(series.keys.count == 3 && series.keys.last == "other")
  }

  @Test("limitPerGroup on a dimension of two groups is rejected", arguments: twoGroups)
  func limitRejected(_ id: String) throws {
    let (endpoint, dimension) = DemoShapeTests.endpoint(id)
    let error = try #require(DemoFixture.error(endpoint, dimension, [("dateRange", "1d"), ("limitPerGroup", "5")]))
    #expect(error.upstreamCode?.status == 400 && error.upstreamCode?.code == 2001)
    #expect(DemoFixture.error(endpoint, dimension, [("dateRange", "1d")]) == nil)
  }

  @Test("limitPerGroup below 2 is rejected")
  func limitTooSmall() {
    #expect(DemoFixture.error(ct, "CA", [("limitPerGroup", "1")])?.upstreamCode?.code == 2001)
    #expect(DemoFixture.error(ct, "CA", [("limitPerGroup", "ten")])?.upstreamCode?.code == 2001)
  }

  @Test("series are keyed by name, or serie_i, in order")
  func seriesKeys() throws {
    let named = try DemoFixture.answer(
      netflows, "LOCATION",
      [
        ("dateRange", "1d"), ("dateRange", "1d"), ("name", "us"), ("name", "pt"), ("location", "US"),
        ("location", "PT"),
      ])
    #expect(named.keys == ["meta", "us", "pt"])
    #expect(try DemoSeries(named["us"]?.objectValue).keys == ["US"])
    #expect(try DemoSeries(named["pt"]?.objectValue).keys == ["PT"])
    let unnamed = try DemoFixture.answer(
      ct, "CA", [("dateRange", "1d"), ("dateRange", "1dcontrol"), ("dateRange", "1d")])
    #expect(unnamed.keys == ["meta", "serie_0", "serie_1", "serie_2"])
    let partly = try DemoFixture.answer(ct, "CA", [("dateRange", "1d"), ("dateRange", "1dcontrol"), ("name", "now")])
    #expect(partly.keys == ["meta", "now", "serie_1"])
    #expect(DemoFixture.error(ct, "CA", [("name", "a"), ("name", "a")])?.upstreamCode?.code == 2001)
  }

  @Test("the same filters give the same data whatever the series is called or where it sits")
  func seriesAreIndependentOfTheirLabel() throws {
    let alone = try DemoFixture.answer(leaked, "BOT_CLASS", [("dateRange", "2d"), ("location", "DE")])
    let second = try DemoFixture.answer(
      leaked, "BOT_CLASS",
      [("dateRange", "2d"), ("dateRange", "2d"), ("location", ""), ("location", "de"), ("name", "x"), ("name", "y")])
    #expect(alone["serie_0"] == second["y"])
  }

  @Test("filters that do not select keys still change the data, deterministically")
  func reshapingFilters() throws {
    let base = try DemoFixture.answer(leaked, "COMPROMISED", [("dateRange", "2d")])
    var seen: [JSONValue] = [try #require(base["serie_0"])]
    for (name, value) in [
      ("location", "US"), ("location", "-US"), ("asn", "13335"), ("continent", "EU"), ("botClass", "LIKELY_HUMAN"),
    ] {
      let filtered = try DemoFixture.answer(leaked, "COMPROMISED", [("dateRange", "2d"), (name, value)])
      let series = try #require(filtered["serie_0"])
      #expect(!seen.contains(series), "\(name)=\(value) changes the data")
      seen.append(series)
      #expect(try DemoFixture.answer(leaked, "COMPROMISED", [("dateRange", "2d"), (name, value)]) == filtered)
    }
    // Order, case and spacing of a comma list do not matter; AS13335 is 13335.
    let a = try DemoFixture.answer(leaked, "BOT_CLASS", [("dateRange", "1d"), ("location", "US,-PT")])
    let b = try DemoFixture.answer(leaked, "BOT_CLASS", [("dateRange", "1d"), ("location", "-pt, us")])
    #expect(a == b)
    let c = try DemoFixture.answer(leaked, "BOT_CLASS", [("dateRange", "1d"), ("asn", "AS13335")])
    let d = try DemoFixture.answer(leaked, "BOT_CLASS", [("dateRange", "1d"), ("asn", "13335")])
    #expect(c == d)
  }

  @Test("filters on the dimension's own keys or their attributes select keys")
  func selectingFilters() throws {
    func keys(_ endpoint: DemoFixture.Endpoint, _ dimension: String, _ filter: (String, String)) throws -> [String] {
      try DemoSeries(
        try DemoFixture.answer(endpoint, dimension, [("dateRange", "1d"), filter])["serie_0"]?.objectValue
      ).keys
    }
    #expect(try keys(netflows, "ADM1", ("location", "PT")).sorted() == ["PT-11", "PT-13", "other"])
    #expect(try keys(netflows, "AS", ("asn", "13335,3243")).sorted() == ["13335", "3243"])
    #expect(try keys(netflows, "LOCATION", ("continent", "OC")).allSatisfy { ["AU", "other"].contains($0) })
    #expect(try !keys(netflows, "LOCATION", ("location", "-US")).contains("US"))
    #expect(try keys(netflows, "PRODUCT", ("product", "HTTP")) == ["HTTP"])
    #expect(
      try keys(ct, "CA", ("caOwner", "DigiCert")).allSatisfy {
        $0.contains("DigiCert") || $0.contains("GeoTrust")
          || $0.contains("Encryption Everywhere") || $0 == "other"
      })
    #expect(
      try keys(ct, "CA", ("ca", "R10,R11")) == ["R10", "R11"] || keys(ct, "CA", ("ca", "R10,R11")) == ["R11", "R10"])
    #expect(try keys(ct, "LOG", ("logApi", "STATIC")).allSatisfy { !$0.contains("Argon") })
    #expect(try keys(ct, "SIGNATURE_ALGORITHM", ("publicKeyAlgorithm", "ECDSA")).allSatisfy { $0.hasPrefix("ECDSA") })
    #expect(try keys(ct, "DURATION", ("duration", "LTE_3D")) == ["lte_3d"])
    #expect(try keys(ct, "HAS_IPS", ("hasIps", "true")) == ["POSITIVE"])
    #expect(try keys(leaked, "COMPROMISED", ("checkResult", "PASSWORD_LEAKED")) == ["COMPROMISED"])
    #expect(try keys(leaked, "BOT_CLASS", ("botClass", "LIKELY_HUMAN")) == ["human"])
  }

  @Test("a missing or empty filter element means no filter for that series")
  func positionalFilters() throws {
    let answer = try DemoFixture.answer(
      netflows, "LOCATION",
      [
        ("dateRange", "7d"), ("dateRange", "7dcontrol"), ("dateRange", "7d"), ("location", "PT"),
        ("location", ""),
      ])
    #expect(try DemoSeries(answer["serie_0"]?.objectValue).keys == ["PT"])
    #expect(try DemoSeries(answer["serie_1"]?.objectValue).keys.count == 11)
    #expect(try DemoSeries(answer["serie_2"]?.objectValue).keys.count == 11)
  }

  @Test("CT's tld does not combine with log attributes")
  func tldIncompatibility() {
    #expect(DemoFixture.error(ct, "TLD", [("log", "Cloudflare 'Nimbus2026'")])?.upstreamCode?.code == 2001)
    #expect(DemoFixture.error(ct, "LOG", [("tld", "com")])?.upstreamCode?.code == 2001)
    #expect(DemoFixture.error(ct, "ENTRY_TYPE", [("tld", "com")])?.upstreamCode?.code == 2001)
    #expect(DemoFixture.error(ct, "CA", [("tld", "com")]) == nil)
  }
}
