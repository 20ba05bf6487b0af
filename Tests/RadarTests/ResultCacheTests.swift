import Testing

@testable import Radar

/// The TTL cache: freshness, and least-recently-used eviction by entries and by bytes.
@Suite struct ResultCacheTests {
  private func result(_ n: Int, bytes: Int = 10) -> RadarResult { .numbered(n, bytes: bytes) }

  @Test func aFreshEntryIsReturnedUntilItsTTLPasses() {
    var cache = ResultCache(ttl: .seconds(60), maxEntries: 10, maxBytes: 1000)
    cache.store(result(1), for: "a", now: .seconds(100))
    #expect(cache.value(for: "a", now: .seconds(159))?.call == 1)
    #expect(cache.value(for: "a", now: .seconds(160)) == nil)
    #expect(cache.count == 0)
    #expect(cache.bytes == 0)
  }

  @Test func leastRecentlyUsedGoesFirstWhenEntriesRunOut() {
    var cache = ResultCache(ttl: .seconds(60), maxEntries: 2, maxBytes: 1000)
    cache.store(result(1), for: "a", now: .zero)
    cache.store(result(2), for: "b", now: .zero)
    _ = cache.value(for: "a", now: .zero)  // a is now more recent than b
    cache.store(result(3), for: "c", now: .zero)
    #expect(cache.value(for: "b", now: .zero) == nil)
    #expect(cache.value(for: "a", now: .zero)?.call == 1)
    #expect(cache.value(for: "c", now: .zero)?.call == 3)
    #expect(cache.count == 2)
  }

  @Test func leastRecentlyUsedGoesFirstWhenBytesRunOut() {
    // Entry size is the result's byteCount plus the key's length (1 here).
    var cache = ResultCache(ttl: .seconds(60), maxEntries: 100, maxBytes: 300)
    cache.store(result(1, bytes: 99), for: "a", now: .zero)
    cache.store(result(2, bytes: 99), for: "b", now: .zero)
    cache.store(result(3, bytes: 99), for: "c", now: .zero)
    #expect(cache.bytes == 300)
    _ = cache.value(for: "a", now: .zero)
    cache.store(result(4, bytes: 149), for: "d", now: .zero)  // needs two of the three gone: b, then c
    #expect(cache.value(for: "b", now: .zero) == nil)
    #expect(cache.value(for: "c", now: .zero) == nil)
    #expect(cache.value(for: "a", now: .zero)?.call == 1)
    #expect(cache.value(for: "d", now: .zero)?.call == 4)
    #expect(cache.bytes == 250)
  }

  @Test func aResultLargerThanTheWholeBudgetIsNotStored() {
    var cache = ResultCache(ttl: .seconds(60), maxEntries: 10, maxBytes: 100)
    cache.store(result(1, bytes: 10), for: "a", now: .zero)
    cache.store(result(2, bytes: 100), for: "b", now: .zero)
    #expect(cache.value(for: "b", now: .zero) == nil)
    #expect(cache.value(for: "a", now: .zero)?.call == 1)
  }

  @Test func storingAgainReplacesTheEntryAndItsSize() {
    var cache = ResultCache(ttl: .seconds(60), maxEntries: 10, maxBytes: 1000)
    cache.store(result(1, bytes: 50), for: "a", now: .zero)
    cache.store(result(2, bytes: 20), for: "a", now: .seconds(30))
    #expect(cache.count == 1)
    #expect(cache.bytes == 21)
    #expect(cache.value(for: "a", now: .seconds(89))?.call == 2)
  }

  @Test func slotsAreReusedThroughManyEvictions() {
    var cache = ResultCache(ttl: .seconds(60), maxEntries: 3, maxBytes: 10_000)
    for i in 0..<1000 { cache.store(result(i), for: "k\(i)", now: .zero) }
    #expect(cache.count == 3)
    #expect(cache.bytes == 3 * 10 + "k997".utf8.count * 3)
    for i in 997..<1000 { #expect(cache.value(for: "k\(i)", now: .zero)?.call == i) }
  }

  @Test func aZeroTTLOrBoundDisablesTheCache() {
    for (ttl, entries, bytes) in [(Duration.zero, 10, 100), (.seconds(1), 0, 100), (.seconds(1), 10, 0)] {
      var cache = ResultCache(ttl: ttl, maxEntries: entries, maxBytes: bytes)
      #expect(!cache.isEnabled)
      cache.store(result(1), for: "a", now: .zero)
      #expect(cache.value(for: "a", now: .zero) == nil)
    }
  }
}

/// The cache as the client uses it.
@Suite struct ClientCacheTests {
  @Test func aSecondIdenticalFetchIsACacheHit() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend, clock: TestClock())
    #expect(try await client.fetch(.ct()).call == 1)
    #expect(try await client.fetch(.ct()).call == 1)
    #expect(backend.calls == 1)
    let stats = await client.stats()
    #expect(stats.cacheHits == 1)
    #expect(stats.cacheMisses == 1)
    #expect(stats.cacheEntries == 1)
    #expect(stats.cacheBytes == 16 + RadarRequest.ct().key.utf8.count)
  }

  @Test func anExpiredEntryIsFetchedAgain() async throws {
    let clock = TestClock()
    let backend = TestBackend()
    let client = RadarClient(backend: backend, configuration: .init(cacheTTL: .seconds(60)), clock: clock)
    _ = try await client.fetch(.ct())
    clock.advance(by: .seconds(59))
    #expect(try await client.fetch(.ct()).call == 1)
    clock.advance(by: .seconds(1))
    #expect(try await client.fetch(.ct()).call == 2)
    #expect(backend.calls == 2)
  }

  @Test func cacheTTLZeroSendsEveryFetchUpstream() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend, configuration: .init(cacheTTL: .zero), clock: TestClock())
    for call in 1...3 { #expect(try await client.fetch(.ct()).call == call) }
    let stats = await client.stats()
    #expect(stats.cacheHits == 0)
    #expect(stats.cacheMisses == 0)
    #expect(stats.cacheEntries == 0)
  }

  @Test func clientEvictsByEntries() async throws {
    let backend = TestBackend()
    let client = RadarClient(backend: backend, configuration: .init(cacheMaxEntries: 2), clock: TestClock())
    for dimension in ["CA", "TLD", "LOG"] { _ = try await client.fetch(.ct(dimension)) }
    #expect(await client.stats().cacheEntries == 2)
    _ = try await client.fetch(.ct("CA"))  // evicted: fetched again
    _ = try await client.fetch(.ct("LOG"))  // kept
    #expect(backend.calls == 4)
  }
}
