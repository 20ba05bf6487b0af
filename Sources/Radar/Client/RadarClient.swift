import Diagnostics
import SystemSupport

/// The one way the server reaches Radar: an actor that owns every piece of shared state between
/// callers and the backend: coalescing, the result cache, the connection cap, the rate limit,
/// retries and the counters.
///
/// A fetch first looks in the cache, then joins the flight for its canonical key (or starts one);
/// the flight runs in a task the actor owns, making attempts through the rate limiter and the
/// connection cap and retrying per ``RetryPolicy``. A cancelled caller leaves at once; the last one
/// out cancels the flight. Errors reach every waiter and are never cached.
///
/// With a ``SharedCache``, a flight first looks on disk, then takes the lead for its request among
/// the user's processes or waits for the process that has it; with a ``SharedRateBudget``, every
/// attempt also takes its slot in the window all those processes share.
///
/// The counters, the memory cache and the latency window sit behind one lock (``Books``) rather
/// than in the actor, so that ``statsNow()`` and ``cachedResult(_:)`` answer without a hop onto
/// the actor (the connection's reader thread answers `server.stats` and memory hits that way).
/// The actor changes them under that lock; it alone owns the flights, the rate limit and retries.
public actor RadarClient {
  /// `"live"`, `"demo"`, or a test double's name.
  public nonisolated let backendName: String

  private let backend: any RadarBackend
  private let configuration: RadarClientConfiguration
  private let policy: RetryPolicy
  private let timeline: Timeline
  private let random: @Sendable () -> Double
  private let connections: ConnectionLimiter
  private let sharedCache: SharedCache?
  private let sharedBudget: SharedRateBudget?

  private var flights = Coalescer()
  private var rateLimiter: RateLimiter
  private let books: Locked<Books>

  /// What is read without the actor: changed by the actor, under the lock, in the same step as
  /// what it counts, so every snapshot is exact.
  private struct Books {
    var cache: ResultCache
    var counters = RadarStats()
    var latency = LatencyWindow()
    /// The number of flights, copied from ``RadarClient/flights`` whenever it changes.
    var callsInFlight = 0
  }

  /// A wait shorter than this is not worth a progress report.
  private static let noticeableWait = Duration.milliseconds(100)

  /// - Parameters:
  ///   - sharedCache: results and calls in flight shared with the user's other processes (the
  ///     live backend's; never the demo's).
  ///   - sharedBudget: the rate limit's window shared with the user's other processes.
  ///   - clock: drives the cache TTL, the rate limiter, backoff sleeps and latency (inject a
  ///     virtual clock in tests).
  ///   - random: uniform in `0 ..< 1`, for the backoff jitter.
  public init(
    backend: any RadarBackend, configuration: RadarClientConfiguration = .init(),
    sharedCache: SharedCache? = nil, sharedBudget: SharedRateBudget? = nil,
    clock: any Clock<Duration> = ContinuousClock(),
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
  ) {
    self.backendName = backend.name
    self.backend = backend
    self.configuration = configuration
    self.policy = configuration.retryPolicy
    self.timeline = Timeline(clock)
    self.random = random
    self.connections = ConnectionLimiter(limit: configuration.maxConnections)
    self.sharedCache = sharedCache
    self.sharedBudget = sharedBudget
    self.books = Locked(
      Books(
        cache: ResultCache(
          ttl: configuration.cacheTTL, maxEntries: configuration.cacheMaxEntries,
          maxBytes: configuration.cacheMaxBytes)))
    self.rateLimiter = RateLimiter(configuration.rateLimit)
  }

  /// Answers `request` from the cache, from a call already in flight, or from a new upstream call.
  ///
  /// - Parameters:
  ///   - cachePolicy: `.refresh` skips the cache read (subscription polls); the result is stored either way.
  ///   - progress: told while the call waits for the rate limit, a free connection or a retry.
  /// - Throws: ``RadarError``, or `CancellationError` when the calling task is cancelled.
  public func fetch(
    _ request: RadarRequest, cachePolicy: CachePolicy = .useCache,
    progress: (@Sendable (RadarProgress) -> Void)? = nil
  ) async throws -> RadarResult {
    try Task.checkCancellation()
    let key = request.key
    if cachePolicy == .useCache {
      let now = timeline.now()
      let hit = books.withLock { books -> RadarResult? in
        guard books.cache.isEnabled else { return nil }
        if let hit = books.cache.value(for: key, hash: request.keyHash, now: now) {
          books.counters.memoryHits += 1
          return hit
        }
        books.counters.cacheMisses += 1
        return nil
      }
      if let hit { return hit }
    }
    let waiterID = flights.makeID()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        guard !Task.isCancelled else {
          continuation.resume(throwing: CancellationError())
          return
        }
        let joined = flights.join(key, waiterID: waiterID, .init(continuation: continuation, progress: progress))
        if joined.isNew {
          let task = Task { await self.fly(request, key: key, flight: joined.flight, cachePolicy: cachePolicy) }
          flights.attach(task, to: key, flight: joined.flight)
          let count = flights.count
          books.withLock { $0.callsInFlight = count }
        } else {
          books.withLock { $0.counters.coalesced += 1 }
        }
      }
    } onCancel: {
      Task { await self.leave(key, waiterID: waiterID) }
    }
  }

  /// A snapshot of the counters, taken on the actor (after what it was doing): ``statsNow()``.
  public func stats() -> RadarStats { statsNow() }

  /// A snapshot of the counters, taken at once from any thread without waiting for the actor;
  /// never waits for anything but the counters' lock (and the shared cache's counters).
  public nonisolated func statsNow() -> RadarStats {
    var stats = books.withLock { books in
      var stats = books.counters
      stats.cacheEntries = books.cache.count
      stats.cacheBytes = books.cache.bytes
      stats.callsInFlight = books.callsInFlight
      stats.latencyP50Milliseconds = books.latency.percentile(50)
      stats.latencyP99Milliseconds = books.latency.percentile(99)
      return stats
    }
    stats.sharedCache = sharedCache?.stats
    stats.sharesRateBudget = sharedBudget != nil
    return stats
  }

  /// The fresh result for `request` in this process's memory cache, counted as a memory hit as
  /// ``fetch(_:cachePolicy:progress:)`` counts it; `nil` (and nothing counted) when there is
  /// none — the caller then fetches, which counts the miss. Never waits for the actor: the
  /// connection's reader thread answers a memory hit with it. The shared cache on disk is not
  /// looked at (that reads a file).
  public nonisolated func cachedResult(_ request: RadarRequest) -> RadarResult? {
    let key = request.key
    let now = timeline.now()
    return books.withLock { books -> RadarResult? in
      guard books.cache.isEnabled, let hit = books.cache.value(for: key, hash: request.keyHash, now: now) else {
        return nil
      }
      books.counters.memoryHits += 1
      return hit
    }
  }

  // MARK: - Flights

  /// A waiter's task was cancelled: it leaves now; if it was the last, the flight is cancelled.
  private func leave(_ key: String, waiterID: UInt64) {
    let (waiter, abandoned) = flights.leave(key, waiterID: waiterID)
    if abandoned != nil {
      let count = flights.count
      books.withLock { $0.callsInFlight = count }
    }
    waiter?.continuation.resume(throwing: CancellationError())
    if let abandoned {
      Logger.shared.debug("every caller left \(key); cancelling its upstream call")
      abandoned.cancel()
    }
  }

  /// Runs one flight to the end and answers its waiters.
  private func fly(_ request: RadarRequest, key: String, flight: UInt64, cachePolicy: CachePolicy) async {
    let outcome: Result<RadarResult, any Error>
    do {
      outcome = .success(try await answer(request, key: key, flight: flight, cachePolicy: cachePolicy))
    } catch {
      outcome = .failure(error)
    }
    guard let waiters = flights.finish(key, flight: flight) else { return }
    let count = flights.count
    let now = timeline.now()
    books.withLock { books in
      books.callsInFlight = count
      if case .success(let result) = outcome { books.cache.store(result, for: key, hash: request.keyHash, now: now) }
    }
    for waiter in waiters { waiter.continuation.resume(with: outcome) }
  }

  private func report(_ progress: RadarProgress, key: String, flight: UInt64) {
    for handler in flights.progressHandlers(key, flight: flight) { handler(progress) }
  }

  /// A flight's answer: from the shared cache, from another process's call of the same request,
  /// or from upstream (then stored in the shared cache for the others).
  private func answer(
    _ request: RadarRequest, key: String, flight: UInt64, cachePolicy: CachePolicy
  ) async throws -> RadarResult {
    guard let sharedCache else { return try await attempts(request, key: key, flight: flight) }
    // A poll (`.refresh`) takes only a result fetched after it began.
    let storedSince = cachePolicy == .refresh ? sharedCache.now() : nil
    if storedSince == nil, let hit = await sharedCache.cached(request) {
      books.withLock { $0.counters.diskHits += 1 }
      return hit
    }
    switch try await sharedCache.lead(request, storedSince: storedSince) {
    case .answered(let result, let waited):
      books.withLock { books in
        if waited { books.counters.coalescedAcrossProcesses += 1 } else { books.counters.diskHits += 1 }
      }
      return result
    case .fetch(let lock):
      let result: RadarResult
      // The processes waiting for this call learn when it waits for a rate-limit slot.
      let queued = lock.map { lock in { @Sendable (wait: Duration) in sharedCache.queued(lock, for: wait) } }
      do {
        result = try await attempts(request, key: key, flight: flight, queued: queued)
      } catch {
        await sharedCache.finish(lock, storing: nil, for: request)
        throw error
      }
      await sharedCache.finish(lock, storing: result, for: request)
      return result
    }
  }

  // MARK: - Attempts

  /// Attempts until one succeeds or ``RetryPolicy`` gives up; `queued` is told each wait for a
  /// rate-limit slot.
  private func attempts(
    _ request: RadarRequest, key: String, flight: UInt64, queued: (@Sendable (Duration) -> Void)? = nil
  ) async throws -> RadarResult {
    var retries = 0
    var waited = Duration.zero
    while true {
      let error: RadarError
      do {
        return try await attempt(
          request, key: key, flight: flight, affordable: policy.budget - waited, queued: queued)
      } catch let failure as RadarError {
        error = failure
      }
      switch policy.decide(after: error, retriesSoFar: retries, waited: waited, random: random()) {
      case .giveUp(let error):
        throw error
      case .retry(let delay, let reason):
        retries += 1
        waited += delay
        books.withLock { $0.counters.retries += 1 }
        Logger.shared.info("\(request.method): \(reason); retry \(retries) of \(policy.maxRetries) in \(delay)")
        report(
          .retrying(
            attempt: retries, maxAttempts: policy.maxRetries + 1, afterSeconds: delay / .seconds(1), reason: reason),
          key: key, flight: flight)
        try await timeline.sleep(until: timeline.now() + delay)
      }
    }
  }

  /// One attempt: a connection, then a rate-limit slot (taken last, so the window counts the
  /// moment the request really goes out), then the backend call. Throws ``RadarError`` or
  /// `CancellationError`; ``RadarError/heldBack(retryAfterSeconds:byAnother429:)`` without sending
  /// when the shared budget's first slot (after another process's 429, or the window full) is
  /// further away than `affordable`.
  private func attempt(
    _ request: RadarRequest, key: String, flight: UInt64, affordable: Duration, queued: (@Sendable (Duration) -> Void)?
  ) async throws -> RadarResult {
    try Task.checkCancellation()
    if !connections.tryAcquire() {
      if let p50 = books.withLock({ $0.latency.percentile(50) }), p50 >= Self.noticeableWait / .milliseconds(1) {
        report(.waitingForConnection(seconds: p50 / 1000), key: key, flight: flight)
      }
      try await connections.acquire()
      // The wait for a connection is this process's queue, not the call: the processes waiting
      // for this call's result start their wait again from now (its FlightRecord), instead of
      // running out and calling upstream too (adversary adv3, F2).
      queued?(.zero)
    }
    defer { connections.release() }
    var sharedWait = Duration.zero
    switch try await sharedBudget?.reserve(configuration.rateLimit, affordable: affordable) {
    case .slot(let wait)?: sharedWait = wait
    case .heldOff(let wait, let byRetryAfter)?:
      throw RadarError.heldBack(retryAfterSeconds: wait / .seconds(1), byAnother429: byRetryAfter)
    case nil: break
    }
    let now = timeline.now()
    let slot = max(rateLimiter.reserve(now: now), now + sharedWait)
    if slot > now {
      queued?(slot - now)
      books.withLock { $0.counters.rateLimiterWaits += 1 }
      if slot - now >= Self.noticeableWait {
        report(.waitingForRateLimit(seconds: (slot - now) / .seconds(1)), key: key, flight: flight)
      }
      try await timeline.sleep(until: slot)
    }
    try Task.checkCancellation()
    books.withLock { books in
      books.counters.upstreamRequests += 1
      books.counters.upstreamInFlight += 1
    }
    let started = timeline.now()
    defer { books.withLock { $0.counters.upstreamInFlight -= 1 } }
    do {
      let result = try await backend.fetch(request)
      let took = timeline.now() - started
      books.withLock { $0.latency.record(took) }
      return result
    } catch {
      if error is CancellationError || Task.isCancelled { throw CancellationError() }
      let took = timeline.now() - started
      let radarError = error as? RadarError ?? .unavailable(reason: "the backend failed: \(type(of: error))")
      books.withLock { books in
        books.latency.record(took)
        books.counters.upstreamErrors += 1
        if case .rateLimited = radarError { books.counters.rateLimited += 1 }
      }
      if case .rateLimited(let retryAfter) = radarError {
        // Cloudflare counts per user: the user's other processes hold back too.
        if let retryAfter { try? await sharedBudget?.hold(forSeconds: retryAfter, atMost: configuration.rateLimit.per) }
      }
      throw radarError
    }
  }
}
