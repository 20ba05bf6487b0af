extension Duration {
  /// The duration in seconds, as a `Double` (for progress messages, `Retry-After` and timeouts).
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }

  /// The longest duration ``saturating(seconds:)`` gives: 2³² s (136 years), far inside what a
  /// `Duration`, an `Instant` and a sleep can hold.
  public static let saturationLimit = Duration.seconds(Int64(1) << 32)

  /// `seconds` (a number from outside: a flag, a header) as a duration rounded to the millisecond,
  /// saturating instead of trapping (contract §7): NaN and negative values are zero, values past
  /// ``saturationLimit`` (infinity included) are that limit.
  public static func saturating(seconds: Double) -> Duration {
    guard !seconds.isNaN, seconds > 0 else { return .zero }
    guard seconds < Double(Int64(1) << 32) else { return saturationLimit }
    return .milliseconds(Int64((seconds * 1000).rounded()))
  }
}
