/// NetFlows (`/radar/netflows/timeseries_groups/{dimension}`) and the geography it shares with
/// other endpoints: locations (ISO 3166-1 alpha-2), autonomous systems (ASNs as decimal strings,
/// as Radar writes them, no names) and ADM1 regions (ISO 3166-2 codes such as `US-CA`, `PT-11`).
///
/// Every AS and region is tagged with its `location` and `continent`, so a `location=PT` filter on
/// `AS` or `ADM1` keeps the Portuguese keys, as Radar does.
extension DemoCatalog {
  static let netflows = DemoEndpointProfile(
    units: "bytes", volumePerDay: 2.0e17, peakHour: 21, diurnalAmplitude: 0.32,
    weekly: [0.98, 0.98, 0.99, 1.0, 1.01, 1.03, 1.02],
    dimensions: [
      "ADM1": adm1Regions, "AS": autonomousSystems, "LOCATION": locations,
      "PRODUCT": DemoDimension([DemoGroup("HTTP", 0.55), DemoGroup("ALL", 0.45, utcOffset: 2)], own: "product"),
    ],
    knowsCardinality: true)

  /// (alpha-2, continent, hours east of UTC, share).
  private static let countries: [(code: String, continent: String, offset: Double, weight: Double)] = [
    ("US", "NA", -5, 0.2), ("IN", "AS", 5.5, 0.06), ("DE", "EU", 1, 0.05), ("GB", "EU", 0, 0.045),
    ("BR", "SA", -3, 0.045), ("FR", "EU", 1, 0.035), ("CN", "AS", 8, 0.035), ("JP", "AS", 9, 0.03),
    ("RU", "EU", 3, 0.03), ("ID", "AS", 7, 0.03), ("NL", "EU", 1, 0.02), ("CA", "NA", -5, 0.02),
    ("IT", "EU", 1, 0.02), ("MX", "NA", -6, 0.02), ("ES", "EU", 1, 0.018), ("VN", "AS", 7, 0.018),
    ("SG", "AS", 8, 0.015), ("AU", "OC", 10, 0.015), ("KR", "AS", 9, 0.015), ("TR", "AS", 3, 0.015),
    ("PH", "AS", 8, 0.015), ("PL", "EU", 1, 0.014), ("TH", "AS", 7, 0.012), ("UA", "EU", 2, 0.01),
    ("AR", "SA", -3, 0.01), ("EG", "AF", 2, 0.01), ("SE", "EU", 1, 0.008), ("ZA", "AF", 2, 0.008),
    ("NG", "AF", 1, 0.008), ("PT", "EU", 0, 0.006),
  ]

  private static let continentOf: [String: String] = Dictionary(
    uniqueKeysWithValues: countries.map { ($0.code, $0.continent) })
  private static let offsetOf: [String: Double] = Dictionary(
    uniqueKeysWithValues: countries.map { ($0.code, $0.offset) })

  private static func geoTags(_ country: String) -> [String: [String]] {
    ["location": [country], "continent": [continentOf[country] ?? "EU"]]
  }

  static let locations = DemoDimension(
    countries.map { DemoGroup($0.code, $0.weight, utcOffset: $0.offset, tags: geoTags($0.code)) },
    own: "location", tail: 0.2, highCardinality: true)

  /// (ASN, country, share): large eyeball, mobile and cloud networks.
  private static let networks: [(asn: String, country: String, weight: Double)] = [
    ("55836", "IN", 0.03), ("7922", "US", 0.025), ("7018", "US", 0.02), ("16509", "US", 0.02),
    ("701", "US", 0.015), ("20115", "US", 0.015), ("15169", "US", 0.015), ("4134", "CN", 0.015),
    ("24560", "IN", 0.015), ("3320", "DE", 0.012), ("8075", "US", 0.01), ("13335", "US", 0.01),
    ("3215", "FR", 0.01), ("4837", "CN", 0.01), ("9808", "CN", 0.01), ("7713", "ID", 0.01),
    ("2856", "GB", 0.008), ("24940", "DE", 0.008), ("16276", "FR", 0.008), ("14061", "US", 0.008),
    ("4713", "JP", 0.008), ("28573", "BR", 0.008), ("8151", "MX", 0.008), ("7552", "VN", 0.008),
    ("5089", "GB", 0.006), ("17676", "JP", 0.006), ("4766", "KR", 0.006), ("12389", "RU", 0.006),
    ("3352", "ES", 0.005), ("3269", "IT", 0.005), ("9299", "PH", 0.005), ("3243", "PT", 0.002),
  ]

  static let autonomousSystems = DemoDimension(
    networks.map { DemoGroup($0.asn, $0.weight, utcOffset: offsetOf[$0.country] ?? 0, tags: geoTags($0.country)) },
    own: "asn", tail: 0.6, highCardinality: true)

  /// (ISO 3166-2 code, share, hours east of UTC where it differs from the country's).
  private static let regions: [(code: String, weight: Double, offset: Double?)] = [
    ("GB-ENG", 0.04, nil), ("US-CA", 0.03, -8), ("US-TX", 0.02, -6), ("US-VA", 0.02, nil), ("BR-SP", 0.02, nil),
    ("IN-MH", 0.018, nil), ("US-NY", 0.015, nil), ("FR-IDF", 0.015, nil), ("JP-13", 0.015, nil),
    ("US-FL", 0.013, nil), ("DE-NW", 0.012, nil), ("DE-HE", 0.012, nil), ("SG-01", 0.012, nil),
    ("DE-BY", 0.01, nil), ("IN-KA", 0.01, nil), ("CN-GD", 0.01, nil), ("RU-MOW", 0.01, nil), ("NL-NH", 0.01, nil),
    ("ID-JK", 0.01, nil), ("US-IL", 0.008, -6), ("US-WA", 0.008, -8), ("IN-DL", 0.008, nil), ("CA-ON", 0.008, nil),
    ("KR-11", 0.008, nil), ("US-GA", 0.007, nil), ("JP-27", 0.006, nil), ("CN-BJ", 0.006, nil),
    ("AU-NSW", 0.006, nil), ("MX-CMX", 0.006, nil), ("ES-MD", 0.006, nil), ("IT-25", 0.006, nil),
    ("AU-VIC", 0.005, nil), ("CA-QC", 0.005, nil), ("GB-SCT", 0.003, nil), ("PT-11", 0.002, nil),
    ("PT-13", 0.001, nil),
  ]

  static let adm1Regions = DemoDimension(
    regions.map { region in
      let country = String(region.code.prefix(2))
      return DemoGroup(
        region.code, region.weight, utcOffset: region.offset ?? offsetOf[country] ?? 0, tags: geoTags(country))
    }, own: nil, tail: 0.5, highCardinality: true)
}
