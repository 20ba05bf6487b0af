import Testing

@testable import Radar

@Suite struct ConnectionLimiterTests {
  @Test func permitsAreHandedOutInOrderAndReturned() async throws {
    let limiter = ConnectionLimiter(limit: 2)
    #expect(limiter.tryAcquire())
    #expect(limiter.tryAcquire())
    #expect(!limiter.tryAcquire())
    let waiter = Task { try await limiter.acquire() }
    #expect(await eventually { limiter.queued == 1 })
    limiter.release()
    try await waiter.value
    #expect(limiter.queued == 0)
    #expect(!limiter.tryAcquire())
    limiter.release()
    limiter.release()
    #expect(limiter.tryAcquire() && limiter.tryAcquire() && !limiter.tryAcquire())
  }

  @Test func aCancelledWaiterLeavesAtOnceAndTakesNoPermit() async throws {
    let limiter = ConnectionLimiter(limit: 1)
    #expect(limiter.tryAcquire())
    let cancelled = Task { try await limiter.acquire() }
    let next = Task { try await limiter.acquire() }
    #expect(await eventually { limiter.queued == 2 })
    cancelled.cancel()
    await #expect(throws: CancellationError.self) { try await cancelled.value }
    #expect(limiter.queued == 1)
    limiter.release()
    try await next.value  // the permit went to the waiter still there
    #expect(!limiter.tryAcquire())
  }

  @Test func twentyFourDistinctRequestsNeverExceedMaxConnections() async throws {
    let backend = TestBackend { _, call in
      try await Task.sleep(for: .milliseconds(5))
      return .numbered(call)
    }
    let client = RadarClient(backend: backend, configuration: .init(cacheTTL: .zero, maxConnections: 6))
    let results = try await withThrowingTaskGroup(of: RadarResult.self) { group in
      for i in 0..<24 { group.addTask { try await client.fetch(.ct("CA", [QueryItem("limitPerGroup", "\(i + 2)")])) } }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 24)
    #expect(backend.calls == 24)
    #expect(backend.maxInFlight == 6)
    #expect(await client.stats().upstreamInFlight == 0)
  }
}
