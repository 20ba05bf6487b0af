/// The client's knobs, one per command-line option.
public struct RadarClientConfiguration: Sendable, Hashable {
  /// How long a result stays fresh (`--cache-ttl`); `.zero` turns the cache off.
  public var cacheTTL: Duration
  /// The most results cached.
  public var cacheMaxEntries: Int
  /// The most bytes of results cached (upstream body sizes).
  public var cacheMaxBytes: Int
  /// The most upstream calls on the wire at once (`--max-connections`).
  public var maxConnections: Int
  /// The client-side rate limit (`--rate-limit N/SECONDS`).
  public var rateLimit: RateLimit
  /// Retries after the first attempt (`--retries`).
  public var retries: Int
  /// The first backoff ceiling; it doubles per retry up to `retryMaxDelay`.
  public var retryBaseDelay: Duration
  public var retryMaxDelay: Duration
  /// The total wait the retries of one call may spend; `nil` means `retries × retryMaxDelay`.
  public var retryBudget: Duration?

  public init(
    cacheTTL: Duration = .seconds(60), cacheMaxEntries: Int = 1024, cacheMaxBytes: Int = 64 << 20,
    maxConnections: Int = 6, rateLimit: RateLimit = .cloudflare, retries: Int = 3,
    retryBaseDelay: Duration = .milliseconds(500), retryMaxDelay: Duration = .seconds(8), retryBudget: Duration? = nil
  ) {
    self.cacheTTL = cacheTTL
    self.cacheMaxEntries = cacheMaxEntries
    self.cacheMaxBytes = cacheMaxBytes
    self.maxConnections = maxConnections
    self.rateLimit = rateLimit
    self.retries = retries
    self.retryBaseDelay = retryBaseDelay
    self.retryMaxDelay = retryMaxDelay
    self.retryBudget = retryBudget
  }

  /// The retry policy these settings describe.
  public var retryPolicy: RetryPolicy {
    RetryPolicy(maxRetries: retries, baseDelay: retryBaseDelay, maxDelay: retryMaxDelay, budget: retryBudget)
  }
}
