/// Why a Radar call is waiting, reported while it waits (the server turns these into
/// `$/progress` `report` notifications).
public enum RadarProgress: Sendable, Hashable {
  /// The client-side rate limiter holds the call for about `seconds`.
  case waitingForRateLimit(seconds: Double)
  /// Every upstream connection is taken (`--max-connections`); one typically frees in about
  /// `seconds` (the median upstream latency).
  case waitingForConnection(seconds: Double)
  /// Attempt `attempt` failed with `reason`; the next attempt starts in `afterSeconds`.
  case retrying(attempt: Int, maxAttempts: Int, afterSeconds: Double, reason: String)

  /// A sentence for a status bar.
  public var message: String {
    switch self {
    case .waitingForRateLimit(let seconds):
      "waiting \(Self.format(seconds)) for the client-side rate limit"
    case .waitingForConnection(let seconds):
      "waiting for a free upstream connection (about \(Self.format(seconds)))"
    case .retrying(let attempt, let maxAttempts, let after, let reason):
      "\(reason); retry \(attempt) of \(maxAttempts - 1) in \(Self.format(after))"
    }
  }

  /// Seconds for people: `2.5 s`, `30 s`. Saturating: a value that is negative or not a number
  /// reads `0 s`, one past a year reads as `more than 31536000 s`, so no value from outside traps.
  public static func format(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds > 0 else { return "0 s" }
    if seconds > 31_536_000 { return "more than 31536000 s" }
    return seconds < 10 ? "\((seconds * 10).rounded() / 10) s" : "\(Int(seconds.rounded())) s"
  }
}
