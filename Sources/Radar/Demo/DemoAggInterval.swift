/// Radar's aggregation intervals: how they are spelled, how long they are, and the longest date
/// range each one may be asked for (Radar rejects an interval that is too fine for its range).
enum DemoAggInterval: Sendable, CaseIterable {
  case fifteenMinutes, oneHour, oneDay, oneWeek

  /// `15m`, `1h`, `1d`, `1w` (any case), or the long names `meta` uses.
  init?(wire: String) {
    switch wire.uppercased() {
    case "15M", "FIFTEEN_MINUTES": self = .fifteenMinutes
    case "1H", "ONE_HOUR": self = .oneHour
    case "1D", "ONE_DAY": self = .oneDay
    case "1W", "ONE_WEEK": self = .oneWeek
    default: return nil
    }
  }

  var wire: String {
    switch self {
    case .fifteenMinutes: "15m"
    case .oneHour: "1h"
    case .oneDay: "1d"
    case .oneWeek: "1w"
    }
  }

  /// The name in `meta.aggInterval`.
  var metaName: String {
    switch self {
    case .fifteenMinutes: "FIFTEEN_MINUTES"
    case .oneHour: "ONE_HOUR"
    case .oneDay: "ONE_DAY"
    case .oneWeek: "ONE_WEEK"
    }
  }

  var seconds: Int64 {
    switch self {
    case .fifteenMinutes: 900
    case .oneHour: DemoTimestamp.hour
    case .oneDay: DemoTimestamp.day
    case .oneWeek: DemoTimestamp.week
    }
  }

  /// Buckets are aligned to multiples of the interval since this instant: the epoch, except weeks,
  /// which start on Monday 00:00 UTC (1970-01-05) as ISO weeks do.
  var origin: Int64 { self == .oneWeek ? 4 * DemoTimestamp.day : 0 }

  /// The longest date range this interval may be asked for.
  var maximumRange: Int64 {
    switch self {
    case .fifteenMinutes: 7 * DemoTimestamp.day
    case .oneHour: 93 * DemoTimestamp.day
    case .oneDay: 731 * DemoTimestamp.day
    case .oneWeek: DemoAggInterval.longestRange
    }
  }

  /// No date range may be longer than ten years.
  static let longestRange: Int64 = 3_653 * DemoTimestamp.day

  /// What Radar picks when `aggInterval` is omitted: 15 minutes up to a day, hours up to a month
  /// (31 days), days up to two years, weeks beyond.
  static func automatic(for range: Int64) -> DemoAggInterval {
    if range <= DemoTimestamp.day { return .fifteenMinutes }
    if range <= 31 * DemoTimestamp.day { return .oneHour }
    if range <= oneDay.maximumRange { return .oneDay }
    return .oneWeek
  }
}
