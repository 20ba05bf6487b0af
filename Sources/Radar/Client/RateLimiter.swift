/// The client-side rate limit as a sliding window: an attempt may start when fewer than
/// `limit.requests` attempts started in the `limit.per` before it.
///
/// A token bucket of the same size would allow a full burst on top of a full refill, up to twice
/// the limit in one window; Cloudflare counts a window, so this counts one. Slots are reserved in
/// order, so concurrent callers are spaced out fairly; a reservation given up (a cancelled wait)
/// still counts, which errs on the polite side.
struct RateLimiter {
  let limit: RateLimit
  /// The start instants of the last `limit.requests` attempts, oldest at `oldest` once full.
  private var starts: [Duration] = []
  private var oldest = 0

  init(_ limit: RateLimit) {
    self.limit = limit
  }

  /// Reserves the next slot; returns when the attempt may start (`now` when it may start at once).
  mutating func reserve(now: Duration) -> Duration {
    guard starts.count >= limit.requests else {
      starts.append(now)
      return now
    }
    let at = max(now, starts[oldest] + limit.per)
    starts[oldest] = at
    oldest = (oldest + 1) % starts.count
    return at
  }
}
