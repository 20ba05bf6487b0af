/// A client-side request budget: at most `requests` upstream attempts in any window of `per`
/// (`--rate-limit N/SECONDS`). Cloudflare's documented limit is 1200 per 300 s per user, and
/// exceeding it blocks every call for five minutes, so the default stays just under it.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
  public var requests: Int
  public var per: Duration

  /// 1200 requests per 300 s, Cloudflare's documented API limit.
  public static let cloudflare = RateLimit(requests: 1200, per: .seconds(300))

  public init(requests: Int, per: Duration) {
    self.requests = requests
    self.per = per
  }

  /// Parses `N/SECONDS` (`1200/300`, `10/1.5`); `nil` unless N is a positive integer (at most
  /// 1,000,000) and SECONDS a positive number.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let requests = Int(parts[0]), (1...1_000_000).contains(requests),
      let seconds = Double(parts[1]), seconds.isFinite, seconds > 0, seconds <= 86_400 * 365
    else { return nil }
    self.init(requests: requests, per: .seconds(seconds))
    guard per > .zero else { return nil }
  }

  public var description: String {
    let seconds = per / .seconds(1)
    return seconds == seconds.rounded() ? "\(requests)/\(Int(seconds))" : "\(requests)/\(seconds)"
  }
}
