/// When and how long to wait before trying an upstream call again.
///
/// Retries 408, 429, 5xx and network failures (everything ``RadarError/unavailable(reason:)``
/// covers: refused, reset, truncated, timed out, a body that is not the documented JSON); never
/// other 4xx or rejected credentials. The wait honours `Retry-After`; without it the backoff is
/// exponential with full jitter (a uniform random wait in `0 ..< min(maxDelay, baseDelay · 2ⁿ)`), so
/// clients that failed together do not retry together. All waits of one call share `budget`: when
/// `Retry-After` asks for more than is left, the call gives up at once (a 429 as
/// ``RadarError/rateLimited(retryAfterSeconds:)``) instead of holding its caller for minutes.
public struct RetryPolicy: Sendable, Hashable {
  /// Retries after the first attempt (at most ``mostRetries``).
  public var maxRetries: Int
  /// The most retries a policy makes, whatever it is asked for: keeps `maxDelay × maxRetries`
  /// (the default budget) far inside what a `Duration` holds.
  public static let mostRetries = 1_000
  public var baseDelay: Duration
  public var maxDelay: Duration
  /// The total wait allowed across the retries of one call.
  public var budget: Duration

  public init(
    maxRetries: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8),
    budget: Duration? = nil
  ) {
    self.maxRetries = min(max(0, maxRetries), Self.mostRetries)
    self.baseDelay = baseDelay
    self.maxDelay = max(baseDelay, maxDelay)
    self.budget = budget ?? self.maxDelay * self.maxRetries
  }

  enum Decision: Sendable, Hashable {
    /// Wait `delay`, then try again; `reason` says what failed (for progress).
    case retry(after: Duration, reason: String)
    /// Stop and throw this.
    case giveUp(RadarError)
  }

  /// What to do after failed attempt number `retriesSoFar + 1`.
  /// - Parameters:
  ///   - waited: the total already waited between earlier attempts of this call.
  ///   - random: a uniform number in `0 ..< 1` (injected so tests can pin the jitter).
  func decide(after error: RadarError, retriesSoFar: Int, waited: Duration, random: Double) -> Decision {
    guard let (reason, retryAfter) = Self.retryable(error), retriesSoFar < maxRetries else {
      return .giveUp(error)
    }
    let remaining = budget - waited
    if let retryAfter {
      let delay = Self.duration(seconds: retryAfter)
      return delay <= remaining ? .retry(after: delay, reason: reason) : .giveUp(error)
    }
    guard remaining > .zero else { return .giveUp(error) }
    return .retry(after: min(backoff(retry: retriesSoFar, random: random), remaining), reason: reason)
  }

  /// A wait of `seconds` (a `Retry-After`, already within 0…86400), rounded up to the millisecond;
  /// a value outside that range (or not a number) counts as 86400 s, more than any budget.
  static func duration(seconds: Double) -> Duration {
    guard seconds.isFinite, seconds >= 0, seconds <= 86_400 else { return .seconds(86_400) }
    return .milliseconds(Int64((seconds * 1000).rounded(.up)))
  }

  /// The full-jitter backoff before retry `retry + 1`.
  func backoff(retry: Int, random: Double) -> Duration {
    let ceiling = retry >= 30 ? maxDelay : min(maxDelay, baseDelay * (1 << retry))
    return ceiling * min(max(random, 0), 1)
  }

  /// Why `error` may be retried and the wait it asks for, or `nil` when it may not.
  private static func retryable(_ error: RadarError) -> (reason: String, retryAfter: Double?)? {
    switch error {
    case .rateLimited(let retryAfter):
      return ("rate limited by Cloudflare (HTTP 429)", retryAfter)
    case .upstream(let status, _, let retryAfter, _) where status == 408 || status >= 500:
      return ("Cloudflare answered HTTP \(status)", retryAfter)
    case .unavailable(let reason):
      return ("upstream unavailable: \(reason)", nil)
    case .upstream, .unauthorized, .unusableCredentials, .answerTooLarge, .heldBack:
      return nil
    }
  }
}
