/// A snapshot of the client's counters, for `server.stats`. Counts are since the client started.
public struct RadarStats: Sendable, Hashable {
  /// Attempts sent to the backend (each retry counts).
  public var upstreamRequests = 0
  /// Attempts that failed (any error but cancellation).
  public var upstreamErrors = 0
  /// Retries scheduled after a failed attempt.
  public var retries = 0
  /// Attempts Cloudflare answered with HTTP 429.
  public var rateLimited = 0
  /// Attempts the client-side rate limit held back.
  public var rateLimiterWaits = 0
  /// Callers who joined a call already in flight instead of starting one.
  public var coalesced = 0
  /// Callers answered from the result cache.
  public var cacheHits = 0
  /// Callers who looked in the cache and found nothing fresh.
  public var cacheMisses = 0
  public var cacheEntries = 0
  public var cacheBytes = 0
  /// Shared calls in flight (each serves one or more callers).
  public var callsInFlight = 0
  /// Attempts on the wire right now.
  public var upstreamInFlight = 0
  /// Latency of recent attempts (the last 1024), in milliseconds; `nil` before the first.
  public var latencyP50Milliseconds: Double?
  public var latencyP99Milliseconds: Double?

  public init() {}
}
