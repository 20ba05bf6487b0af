/// One group key of a dimension (`"R11"`, `"US"`, `"13335"`), with what the generator needs to
/// make its traffic look real.
struct DemoGroup: Sendable {
  /// The key as it appears in the answer.
  let key: String
  /// Typical share of the dimension's traffic (the weights of a dimension need not sum to 1).
  let weight: Double
  /// Hours east of UTC: shifts the daily peak, so countries peak in their own evening.
  let utcOffset: Double
  /// Scales the endpoint's daily swing (bots are flat, people are not).
  let amplitude: Double
  /// Filter values this group belongs to, by filter parameter, upper-cased: a CA's `caOwner`,
  /// an AS's `location`. The dimension's own parameter defaults to the key itself.
  let tags: [String: [String]]

  init(_ key: String, _ weight: Double, utcOffset: Double = 0, amplitude: Double = 1, tags: [String: [String]] = [:]) {
    self.key = key
    self.weight = weight
    self.utcOffset = utcOffset
    self.amplitude = amplitude
    self.tags = tags
  }
}

/// The keys of one dimension and how Radar treats it.
struct DemoDimension: Sendable {
  let groups: [DemoGroup]
  /// The filter whose values are this dimension's keys (`ca` for `CA`, `location` for `LOCATION`).
  let ownParameter: String?
  /// Traffic of the long tail beyond the listed groups; it only ever shows up inside `other`.
  let tailWeight: Double
  /// High-cardinality dimensions default to the top 10 groups. (Radar accepts `limitPerGroup` on
  /// any dimension with more than two groups, contract §5.)
  let highCardinality: Bool

  init(_ groups: [DemoGroup], own ownParameter: String?, tail tailWeight: Double = 0, highCardinality: Bool = false) {
    self.groups = groups
    self.ownParameter = ownParameter
    self.tailWeight = tailWeight
    self.highCardinality = highCardinality
  }

  /// The upper-cased filter values of `group` for `parameter`, or `nil` when the group has none.
  func tags(of group: DemoGroup, for parameter: String) -> [String]? {
    if let tags = group.tags[parameter] { return tags }
    return parameter == ownParameter ? [group.key.uppercased()] : nil
  }

  /// True when a filter on `parameter` selects keys of this dimension (rather than reshaping data).
  func isRestricted(by parameter: String) -> Bool {
    parameter == ownParameter || groups.contains { $0.tags[parameter] != nil }
  }
}

/// One Radar endpoint as the demo models it: units, volume and rhythm, and its dimensions.
struct DemoEndpointProfile: Sendable {
  let units: String
  /// Raw count per day for the whole dimension (for `RAW_VALUES`).
  let volumePerDay: Double
  /// Local hour of the daily maximum.
  let peakHour: Double
  /// Relative size of the daily swing.
  let diurnalAmplitude: Double
  /// Factor per weekday, Monday first.
  let weekly: [Double]
  let dimensions: [String: DemoDimension]
  /// False for endpoints the demo does not know: it answers every `limitPerGroup` there.
  let knowsCardinality: Bool

  /// The dimension named `name` (upper-cased); unknown names get generic keys, never an error.
  func dimension(_ name: String) -> DemoDimension {
    dimensions[name] ?? DemoCatalog.sharedDimensions[name] ?? DemoCatalog.genericDimension(name)
  }
}

/// The endpoints the demo knows, chosen by path template; anything else gets a generic profile.
enum DemoCatalog {
  static func profile(forPathTemplate template: String) -> DemoEndpointProfile {
    if template.hasPrefix("/radar/ct/") { return ct }
    if template.hasPrefix("/radar/leaked_credential_checks/") { return leakedCredentialChecks }
    if template.hasPrefix("/radar/netflows/") { return netflows }
    return generic
  }

  /// Dimensions whose keys are the same wherever Radar uses them, for endpoints the demo
  /// does not model (`/radar/http/timeseries_groups/LOCATION`, …).
  static let sharedDimensions: [String: DemoDimension] = [
    "LOCATION": locations, "AS": autonomousSystems, "ADM1": adm1Regions, "TLD": ctTLD,
    "BOT_CLASS": leakedBotClass,
    "IP_VERSION": DemoDimension([DemoGroup("IPv4", 0.66), DemoGroup("IPv6", 0.34, utcOffset: 2)], own: "ipVersion"),
    "HTTP_VERSION": DemoDimension(
      [DemoGroup("HTTP/1.x", 0.1, utcOffset: -3), DemoGroup("HTTP/2", 0.6), DemoGroup("HTTP/3", 0.3, utcOffset: 3)],
      own: "httpVersion"),
    "DEVICE_TYPE": DemoDimension(
      [DemoGroup("desktop", 0.42, utcOffset: -4), DemoGroup("mobile", 0.57, utcOffset: 2), DemoGroup("other", 0.01)],
      own: "deviceType"),
    "TLS_VERSION": DemoDimension(
      [
        DemoGroup("TLS 1.0", 0.004), DemoGroup("TLS 1.1", 0.001), DemoGroup("TLS 1.2", 0.14),
        DemoGroup("TLS 1.3", 0.55), DemoGroup("TLS QUIC", 0.3, utcOffset: 2),
      ], own: "tlsVersion"),
  ]

  /// A dimension the demo has no keys for: six plausible keys named after it (`model_1` …).
  static func genericDimension(_ name: String) -> DemoDimension {
    let stem = name.isEmpty ? "group" : name.lowercased()
    let weights = [0.34, 0.22, 0.15, 0.11, 0.08, 0.05]
    return DemoDimension(
      weights.enumerated().map {
        DemoGroup("\(stem)_\($0.offset + 1)", $0.element, utcOffset: Double($0.offset * 3 - 6))
      },
      own: nil, tail: 0.05, highCardinality: true)
  }

  /// Any other Radar endpoint (added to the OpenRPC document later): HTTP-like traffic.
  static let generic = DemoEndpointProfile(
    units: "requests", volumePerDay: 4.0e12, peakHour: 20, diurnalAmplitude: 0.3,
    weekly: [1.0, 1.0, 1.0, 1.0, 0.99, 0.97, 0.98], dimensions: [:], knowsCardinality: false)
}
