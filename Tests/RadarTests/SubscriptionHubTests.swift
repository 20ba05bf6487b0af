import JSON
import SystemSupport
import TestSupport
import Testing

@testable import Radar

/// Subscriptions share pollers by canonical request and interval, and no poller outlives its
/// last subscriber (contract §6). The interval is an hour: each poller polls once, at start.
@Suite(.timeLimit(.minutes(10))) struct SubscriptionHubTests {
  let backend = TestBackend()
  let received = Locked<[SubscriptionID: Int]>([:])

  func hub() -> SubscriptionHub {
    SubscriptionHub(
      client: RadarClient(backend: backend, configuration: .init(cacheTTL: .zero)), maxSubscriptions: 8)
  }

  func subscribe(_ hub: SubscriptionHub, _ request: RadarRequest = .ct(), every interval: Duration = .seconds(3600))
    async throws -> SubscriptionID
  {
    let received = received
    let id = try await hub.subscribe(request, interval: interval) { id, _ in
      received.withLock { $0[id, default: 0] += 1 }
    }
    await hub.activate(id)
    return id
  }

  @Test func identicalSubscriptionsShareOnePollerAndBothGetItsUpdate() async throws {
    let hub = hub()
    let a = try await subscribe(hub)
    let b = try await subscribe(hub)
    #expect(await hub.pollerCount == 1)
    #expect(await waitUntil { received.withLock { $0[a] == 1 && $0[b] == 1 } })
    #expect(backend.calls == 1)
    _ = try await subscribe(hub, every: .seconds(1800))  // another interval: another poller
    _ = try await subscribe(hub, .ct("LOG"))  // another request: another poller
    #expect(await hub.pollerCount == 3)
    await hub.stopAll()
  }

  @Test func thePollerStopsWithItsLastSubscriber() async throws {
    let hub = hub()
    let a = try await subscribe(hub)
    let b = try await subscribe(hub)
    #expect(await hub.unsubscribe(a))
    #expect(await hub.pollerCount == 1)
    #expect(await hub.unsubscribe(b))
    #expect(await hub.pollerCount == 0)
    #expect(await hub.count == 0)
    #expect(await !hub.unsubscribe(b))
  }

  @Test func theLimitCountsSubscriptionsNotPollers() async throws {
    let hub = SubscriptionHub(client: RadarClient(backend: backend), maxSubscriptions: 2)
    _ = try await subscribe(hub)
    _ = try await subscribe(hub)
    await #expect(throws: SubscriptionHub.Refusal.limitReached(limit: 2)) { _ = try await subscribe(hub) }
    await hub.stopAll()
    #expect(await hub.pollerCount == 0)
  }

  /// A subscribe that was in flight when subscriptions ended (shutdown) starts nothing.
  @Test func nothingStartsAfterStopAll() async throws {
    let hub = SubscriptionHub(client: RadarClient(backend: backend), maxSubscriptions: 2)
    _ = try await subscribe(hub)
    await hub.stopAll()
    await #expect(throws: SubscriptionHub.Refusal.stopped) { _ = try await subscribe(hub) }
    #expect(await hub.count == 0)
    #expect(await hub.pollerCount == 0)
  }

  /// `stopAll()` returns only once an update being delivered has been handed over, so nothing a
  /// subscription sends can follow what the server sends next (`shutdown`'s answer, contract §4).
  @Test func stopAllWaitsForADeliveryUnderWay() async throws {
    let hub = hub()
    let events = Locked<[String]>([])
    let delivering = Locked(false)
    let release = Locked<CheckedContinuation<Void, Never>?>(nil)
    let id = try await hub.subscribe(.ct(), interval: .seconds(3600)) { _, _ in
      await withCheckedContinuation { continuation in
        release.withLock { $0 = continuation }
        delivering.withLock { $0 = true }
      }
      events.withLock { $0.append("delivered") }
    }
    await hub.activate(id)
    #expect(await waitUntil { delivering.withLock { $0 } })  // the first poll's update is being handed over
    let stopped = Task {
      await hub.stopAll()
      events.withLock { $0.append("stopped") }
    }
    #expect(await waitUntil { await hub.count == 0 })  // stopAll has begun
    release.withLock { $0 }?.resume()
    await stopped.value
    #expect(events.withLock { $0 } == ["delivered", "stopped"])
  }
}
