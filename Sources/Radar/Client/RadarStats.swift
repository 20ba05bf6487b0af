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
  /// Callers answered from a result cache: this process's memory, or the shared cache on disk.
  public var cacheHits: Int { memoryHits + diskHits }
  /// Callers answered from this process's memory.
  public var memoryHits = 0
  /// Calls answered from the shared cache on disk, a result this or another process stored (each
  /// also answers the callers coalesced on it).
  public var diskHits = 0
  /// Calls that waited for another process's call of the same request and took its result.
  public var coalescedAcrossProcesses = 0
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
  /// The shared cache's counters; `nil` without one (`--no-shared-cache`, `--cache-ttl 0`, demo).
  public var sharedCache: SharedCacheStats?
  /// Whether the rate limit's window is shared with the user's other processes.
  public var sharesRateBudget = false

  public init() {}
}
