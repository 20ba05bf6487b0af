import TestSupport
import Testing

@testable import Radar

/// Identical requests in flight share one backend call; every waiter gets its own answer and
/// can leave on its own; the last one out cancels the call.
@Suite(.timeLimit(.minutes(10))) struct CoalescingTests {
  private let noCache = RadarClientConfiguration(cacheTTL: .zero)

  @Test func hundredIdenticalConcurrentRequestsMakeOneBackendCall() async throws {
    let gate = Gate()
    let backend = TestBackend.gated(by: gate)
    let client = RadarClient(backend: backend, configuration: noCache)
    let results = try await withThrowingTaskGroup(of: RadarResult.self) { group in
      for _ in 0..<100 { group.addTask { try await client.fetch(.ct()) } }
      #expect(await waitUntil { await client.stats().coalesced == 99 })
      gate.open()
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 100)
    #expect(results.allSatisfy { $0.call == 1 })
    #expect(backend.calls == 1)
    let stats = await client.stats()
    #expect(stats.coalesced == 99)
    #expect(stats.upstreamRequests == 1)
    #expect(stats.callsInFlight == 0)
  }

  @Test func differentRequestsAreNotCoalesced() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend, configuration: noCache)
    async let a = client.fetch(.ct("CA"))
    async let b = client.fetch(.ct("TLD"))
    _ = try await (a, b)
    #expect(backend.calls == 2)
    #expect(
      Set(backend.keys) == [
        "/radar/ct/timeseries_groups/CA?dateRange=7d", "/radar/ct/timeseries_groups/TLD?dateRange=7d",
      ])
  }

  @Test func cancellingOneOfTwoWaitersLeavesTheOtherItsAnswer() async throws {
    let gate = Gate()
    let backend = TestBackend.gated(by: gate)
    let client = RadarClient(backend: backend, configuration: noCache)
    let first = Task { try await client.fetch(.ct()) }
    let second = Task { try await client.fetch(.ct()) }
    #expect(await waitUntil { await client.stats().coalesced == 1 && gate.waiting == 1 })

    second.cancel()
    // The cancelled waiter leaves at once, while the shared call is still blocked.
    await #expect(throws: CancellationError.self) { try await second.value }
    #expect(gate.waiting == 1)
    #expect(backend.cancelled == 0)

    gate.open()
    #expect(try await first.value.call == 1)
    #expect(backend.calls == 1)
    #expect(backend.cancelled == 0)
  }

  @Test func lastWaiterOutCancelsTheCallAndANewCallerStartsFresh() async throws {
    let gate = Gate()
    let backend = TestBackend { _, call in
      if call == 1 { try await gate.wait() }
      return .numbered(call)
    }
    let client = RadarClient(backend: backend, configuration: noCache)
    let waiters = (0..<3).map { _ in Task { try await client.fetch(.ct()) } }
    #expect(await waitUntil { await client.stats().coalesced == 2 && gate.waiting == 1 })

    for waiter in waiters { waiter.cancel() }
    for waiter in waiters {
      await #expect(throws: CancellationError.self) { try await waiter.value }
    }
    // The key is gone at once: the next caller does not join the cancelled call.
    #expect(await client.stats().callsInFlight == 0)
    gate.open()  // had the new caller joined the old call, it would now get call 1
    let fresh = try await client.fetch(.ct())
    #expect(fresh.call == 2)
    #expect(await waitUntil { backend.cancelled == 1 })
    #expect(backend.calls == 2)
  }

  @Test func anErrorReachesEveryWaiterAndIsNotCached() async throws {
    let gate = Gate()
    let failure = RadarError.upstream(httpStatus: 400, errors: [CloudflareMessage(code: 2001, message: "bad")])
    let backend = TestBackend { _, call in
      guard call > 1 else {
        try await gate.wait()
        throw failure
      }
      return .numbered(call)
    }
    let client = RadarClient(backend: backend)  // cache on: the error must still not be stored
    let waiters = (0..<5).map { _ in Task { try await client.fetch(.ct()) } }
    #expect(await waitUntil { await client.stats().coalesced == 4 })
    gate.open()
    for waiter in waiters {
      await #expect(throws: failure) { try await waiter.value }
    }
    let next = try await client.fetch(.ct())
    #expect(next.call == 2)
    #expect(backend.calls == 2)
    #expect(await client.stats().upstreamErrors == 1)
  }

  @Test func progressOfTheSharedCallReachesEveryWaiter() async throws {
    let gate = Gate()
    let backend = TestBackend { _, call in
      if call == 1 {
        try await gate.wait()
        throw RadarError.upstream(httpStatus: 503, errors: [])
      }
      return .numbered(call)
    }
    let client = RadarClient(backend: backend, configuration: noCache, clock: TestClock(), random: { 0.5 })
    let logA = ProgressLog()
    let logB = ProgressLog()
    async let a = client.fetch(.ct(), progress: logA.handler)
    async let b = client.fetch(.ct(), progress: logB.handler)
    #expect(await waitUntil { await client.stats().coalesced == 1 })
    gate.open()
    let (ra, rb) = try await (a, b)
    #expect(ra.call == 2 && rb.call == 2)
    let expected = RadarProgress.retrying(
      attempt: 1, maxAttempts: 4, afterSeconds: 0.25, reason: "Cloudflare answered HTTP 503")
    #expect(logA.reports == [expected])
    #expect(logB.reports == [expected])
  }

  @Test func aCallerAlreadyCancelledNeverReachesTheBackend() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend)
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await client.fetch(.ct())
    }
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(backend.calls == 0)
  }

  /// Many waiters joining and cancelling at random while calls complete: every caller gets
  /// exactly one outcome (a double resume would trap, a lost one would hang).
  @Test func everyCallerGetsExactlyOneOutcomeUnderCancellationRaces() async throws {
    let backend = TestBackend { _, call in
      try await Task.sleep(for: .microseconds(Int.random(in: 0...300)))
      return .numbered(call)
    }
    let client = RadarClient(backend: backend, configuration: noCache)
    let outcomes = await withTaskGroup(of: Bool?.self) { group in
      for i in 0..<400 {
        let task = Task { try await client.fetch(.ct(i % 2 == 0 ? "CA" : "TLD")) }
        group.addTask {
          if Bool.random() {
            try? await Task.sleep(for: .microseconds(Int.random(in: 0...200)))
            task.cancel()
          }
          switch await task.result {
          case .success: return true
          case .failure(let error): return error is CancellationError ? false : nil
          }
        }
      }
      return await group.reduce(into: [Bool?]()) { $0.append($1) }
    }
    #expect(outcomes.count == 400)
    #expect(outcomes.allSatisfy { $0 != nil })
    #expect(await waitUntil { await client.stats().callsInFlight == 0 && backend.inFlight == 0 })
    #expect(await client.stats().upstreamInFlight == 0)
  }

  @Test func refreshSkipsTheCacheReadButStoresTheResult() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend, clock: TestClock())
    #expect(try await client.fetch(.ct()).call == 1)
    #expect(try await client.fetch(.ct(), cachePolicy: .refresh).call == 2)
    #expect(try await client.fetch(.ct()).call == 2)
    let stats = await client.stats()
    #expect(stats.cacheHits == 1)
    #expect(stats.cacheMisses == 1)
    #expect(backend.calls == 2)
  }
}
