import TestSupport
import Testing

@testable import Radar

@Suite struct RateLimiterTests {
  @Test func aSlidingWindowAllowsNPerWindowAndSpacesTheRest() {
    var limiter = RateLimiter(RateLimit(requests: 3, per: .seconds(10)))
    #expect(limiter.reserve(now: .zero) == .zero)
    #expect(limiter.reserve(now: .seconds(1)) == .seconds(1))
    #expect(limiter.reserve(now: .seconds(2)) == .seconds(2))
    // The window is full: each further slot opens when the oldest start leaves the window.
    #expect(limiter.reserve(now: .seconds(2)) == .seconds(10))
    #expect(limiter.reserve(now: .seconds(2)) == .seconds(11))
    #expect(limiter.reserve(now: .seconds(2)) == .seconds(12))
    #expect(limiter.reserve(now: .seconds(2)) == .seconds(20))
    // Long after, there is room again.
    #expect(limiter.reserve(now: .seconds(100)) == .seconds(100))
  }

  @Test func neverMoreThanNInAnyWindow() {
    let limit = RateLimit(requests: 5, per: .seconds(3))
    var limiter = RateLimiter(limit)
    var starts: [Duration] = []
    for i in 0..<200 { starts.append(limiter.reserve(now: .milliseconds(i * 37 % 500 + i * 20))) }
    starts.sort()
    for (i, start) in starts.enumerated() where i + limit.requests < starts.count {
      #expect(starts[i + limit.requests] - start >= limit.per)
    }
  }

  @Test func parsesNPerSeconds() {
    #expect(RateLimit(parsing: "1200/300") == RateLimit(requests: 1200, per: .seconds(300)))
    #expect(RateLimit(parsing: "10/1.5") == RateLimit(requests: 10, per: .milliseconds(1500)))
    for bad in ["", "1200", "0/10", "-1/10", "10/0", "10/-1", "x/10", "10/x", "10/1/2", "10/inf", "10/nan"] {
      #expect(RateLimit(parsing: bad) == nil, "\(bad)")
    }
    #expect(RateLimit.cloudflare.description == "1200/300")
    #expect(RateLimit(parsing: "10/1.5")?.description == "10/1.5")
  }

  @Test func theClientWaitsForTheLimitAndReportsIt() async throws {
    let clock = TestClock()
    let backend = TestBackend()
    let configuration = RadarClientConfiguration(cacheTTL: .zero, rateLimit: RateLimit(requests: 2, per: .seconds(1)))
    let client = RadarClient(backend: backend, configuration: configuration, clock: clock)
    let log = ProgressLog()
    for _ in 0..<5 { _ = try await client.fetch(.ct(), progress: log.handler) }
    #expect(backend.calls == 5)
    // Starts at 0, 0, then 1 (after a wait), 1 (at once, time has moved), then 2 (after a wait).
    #expect(clock.now.offset == .seconds(2))
    #expect(clock.sleeps == [.seconds(1), .seconds(1)])
    #expect(log.reports == [.waitingForRateLimit(seconds: 1), .waitingForRateLimit(seconds: 1)])
    #expect(await client.stats().rateLimiterWaits == 2)
  }

  @Test func waitingForTheLimitIsCancellable() async throws {
    let backend = TestBackend()
    let configuration = RadarClientConfiguration(
      cacheTTL: .zero, rateLimit: RateLimit(requests: 1, per: .seconds(3600)))
    let client = RadarClient(backend: backend, configuration: configuration)  // real clock
    _ = try await client.fetch(.ct())
    let waiting = Task { try await client.fetch(.ct()) }
    #expect(await waitUntil { await client.stats().rateLimiterWaits == 1 })
    waiting.cancel()
    await #expect(throws: CancellationError.self) { try await waiting.value }
    #expect(backend.calls == 1)
  }
}
