import TestSupport
import Testing

@testable import Radar

@Suite struct ConnectionLimiterTests {
  @Test func permitsAreHandedOutInOrderAndReturned() async throws {
    let limiter = ConnectionLimiter(limit: 2)
    #expect(limiter.tryAcquire())
    #expect(limiter.tryAcquire())
    #expect(!limiter.tryAcquire())
    let waiter = Task { try await limiter.acquire() }
    #expect(await waitUntil { limiter.queued == 1 })
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
    #expect(await waitUntil { limiter.queued == 2 })
    cancelled.cancel()
    await #expect(throws: CancellationError.self) { try await cancelled.value }
    #expect(limiter.queued == 1)
    limiter.release()
    try await next.value  // the permit went to the waiter still there
    #expect(!limiter.tryAcquire())
  }

  @Test func twentyFourDistinctRequestsNeverExceedMaxConnections() async throws {
    let gate = Gate()
    let backend = TestBackend.gated(by: gate)
    let client = RadarClient(backend: backend, configuration: .init(cacheTTL: .zero, maxConnections: 6))
    let results = try await withThrowingTaskGroup(of: RadarResult.self) { group in
      for i in 0..<24 { group.addTask { try await client.fetch(.ct("CA", [QueryItem("limitPerGroup", "\(i + 2)")])) } }
      // Every connection taken, the 18 other calls waiting for one: then they may all proceed.
      // Each call's task must first get a turn on the shared pool, which a ThreadSanitizer run on
      // a loaded machine can starve for most of a test timeout: the wait only bounds a hang.
      #expect(await waitUntil(timeout: defaultTimeout * 5) { backend.inFlight == 6 })
      gate.open()
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 24)
    #expect(backend.calls == 24)
    #expect(backend.maxInFlight == 6)
    #expect(await client.stats().upstreamInFlight == 0)
  }

  /// A call that waits for a connection says so, with the median upstream latency as the likely wait.
  @Test func aCallWaitingForAConnectionSaysSo() async throws {
    let clock = TestClock()
    let gate = Gate()
    let backend = TestBackend { _, call in
      if call == 1 { clock.advance(by: .seconds(2)) } else { try await gate.wait() }  // the first takes 2 s
      return .numbered(call)
    }
    let client = RadarClient(backend: backend, configuration: .init(cacheTTL: .zero, maxConnections: 1), clock: clock)
    _ = try await client.fetch(.ct("CA"))
    let holding = Task { try await client.fetch(.ct("LOG")) }
    #expect(await waitUntil { backend.inFlight == 1 })
    let log = ProgressLog()
    let waiting = Task { try await client.fetch(.ct("TLD"), progress: log.handler) }
    #expect(await waitUntil { log.reports == [.waitingForConnection(seconds: 2)] }, "\(log.reports)")
    #expect(log.reports.first?.message == "waiting for a free upstream connection (about 2.0 s)")
    gate.open()
    _ = try await (holding.value, waiting.value)
  }
}
