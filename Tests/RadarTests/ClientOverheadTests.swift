import Testing

@testable import Radar

/// What `RadarClient.fetch` itself costs, against a backend that answers at once.
///
/// Numbers are printed; run optimised for meaningful ones:
/// `swift test -c release --filter ClientOverheadTests`. The bounds are loose (debug builds on a
/// busy machine pass them) and only catch a pathological regression.
@Suite struct ClientOverheadTests {
  private static func microseconds(_ duration: Duration, per count: Int) -> Double {
    duration.seconds * 1e6 / Double(count)
  }

  /// No cache, and a rate limit that never holds back (the default would after 1200 calls).
  private static let uncached = RadarClientConfiguration(
    cacheTTL: .zero, rateLimit: RateLimit(requests: 1_000_000, per: .seconds(1)))

  private static func timed(_ body: () async throws -> Void) async rethrows -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    return start.duration(to: clock.now)
  }

  @Test func cacheHit() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend)
    let request = RadarRequest.ct("CA", [QueryItem("dateRange", "7d"), QueryItem("dateRange", "7dcontrol")])
    _ = try await client.fetch(request)
    let count = 20_000
    for _ in 0..<1000 { _ = try await client.fetch(request) }
    let elapsed = try await Self.timed {
      for _ in 0..<count { _ = try await client.fetch(request) }
    }
    let perCall = Self.microseconds(elapsed, per: count)
    print("RadarClient.fetch, cache hit: \(perCall) µs per call (\(count) calls)")
    #expect(backend.calls == 1)
    #expect(perCall < 2000)
  }

  @Test func missThroughAFlight() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend, configuration: Self.uncached)
    let request = RadarRequest.ct()
    let count = 5_000
    let elapsed = try await Self.timed {
      for _ in 0..<count { _ = try await client.fetch(request) }
    }
    let perCall = Self.microseconds(elapsed, per: count)
    print("RadarClient.fetch, miss (new flight, zero-latency backend): \(perCall) µs per call (\(count) calls)")
    #expect(backend.calls == count)
    #expect(perCall < 5000)
  }

  @Test func coalescedBurst() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend, configuration: Self.uncached)
    let request = RadarRequest.ct()
    let bursts = 100, callers = 100
    let elapsed = try await Self.timed {
      for _ in 0..<bursts {
        try await withThrowingTaskGroup(of: Void.self) { group in
          for _ in 0..<callers { group.addTask { _ = try await client.fetch(request) } }
          try await group.waitForAll()
        }
      }
    }
    let perCaller = Self.microseconds(elapsed, per: bursts * callers)
    let stats = await client.stats()
    print(
      "RadarClient.fetch, bursts of \(callers) identical callers: \(perCaller) µs per caller; "
        + "\(backend.calls) backend calls for \(bursts * callers) callers (\(stats.coalesced) coalesced)")
    #expect(stats.coalesced + backend.calls == bursts * callers)
    #expect(perCaller < 5000)
  }
}
