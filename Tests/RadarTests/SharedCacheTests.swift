import JSON
import SystemSupport
import TestSupport
import Testing

@testable import Radar

/// The shared cache between "processes" (instances on one directory; a lock file's `flock` is
/// per open file, so two instances in one process contend as two processes do): freshness by
/// TTL, keys scoped by upstream, and the lead for a call in flight — taken, waited for, handed
/// over when its holder lets go without a result, and given up when the wait runs out.
@Suite struct SharedCacheTests {
  /// A settable wall clock, in milliseconds.
  final class Clock: Sendable {
    private let value = Locked<Int64>(1_000_000)
    var now: Int64 { value.withLock { $0 } }
    func set(_ t: Int64) { value.withLock { $0 = t } }
    var closure: @Sendable () -> Int64 { { self.now } }
  }

  private static let upstream = "https://api.cloudflare.com/client/v4"

  private static func cache(
    _ dir: TemporaryDirectory, clock: Clock, upstream: String = upstream, ttl: Duration = .seconds(60),
    flightWait: Duration = .seconds(600)
  ) -> SharedCache {
    SharedCache(
      directory: CacheDirectory(path: dir.path + "/cache"), upstream: upstream, ttl: ttl, maxBytes: 1 << 20,
      flightWait: flightWait, wallClock: clock.closure)
  }

  private static func result(_ n: Int) -> RadarResult { .numbered(n) }

  @Test func aResultIsFreshForTheShorterOfTheWritersAndTheReadersTTL() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let writer = Self.cache(dir, clock: clock, ttl: .seconds(60))
    let shortReader = Self.cache(dir, clock: clock, ttl: .seconds(10))
    await writer.store(Self.result(1), for: .ct())
    clock.set(1_009_999)
    #expect(await shortReader.cached(.ct())?.call == 1)
    clock.set(1_010_000)
    #expect(await shortReader.cached(.ct()) == nil)
    #expect(await writer.cached(.ct())?.call == 1)
    clock.set(1_060_000)
    #expect(await writer.cached(.ct()) == nil)
  }

  @Test func aResultStoredBeforeAPollBeganDoesNotAnswerIt() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let cache = Self.cache(dir, clock: clock)
    await cache.store(Self.result(1), for: .ct())
    #expect(await cache.cached(.ct(), storedSince: 1_000_001) == nil)
    #expect(await cache.cached(.ct(), storedSince: 1_000_000)?.call == 1)
  }

  @Test func answersOfAnotherUpstreamAreNeverServed() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    await Self.cache(dir, clock: clock, upstream: "http://127.0.0.1:9999/client/v4").store(Self.result(1), for: .ct())
    #expect(await Self.cache(dir, clock: clock).cached(.ct()) == nil)
  }

  @Test func aWaiterTakesTheResultOfTheCallInFlight() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let first = Self.cache(dir, clock: clock)
    let second = Self.cache(dir, clock: clock)
    guard case .fetch(let lock?) = try await first.lead(.ct()) else {
      Issue.record("the first call did not get the lead")
      return
    }
    let waiter = Task { try await second.lead(.ct()) }
    #expect(await waitUntil { second.stats.waiting == 1 })
    await first.finish(lock, storing: Self.result(7), for: .ct())
    guard case .answered(let result, waited: true) = try await waiter.value else {
      Issue.record("the waiter did not take the result")
      return
    }
    #expect(result.call == 7)
    #expect(second.stats.waiting == 0)
    #expect(dir.files("cache/flights").isEmpty)
  }

  @Test func whenTheHolderLetsGoWithoutAResultAWaiterTakesTheLead() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let first = Self.cache(dir, clock: clock)
    let second = Self.cache(dir, clock: clock)
    guard case .fetch(let lock?) = try await first.lead(.ct()) else {
      Issue.record("the first call did not get the lead")
      return
    }
    let waiter = Task { try await second.lead(.ct()) }
    #expect(await waitUntil { second.stats.waiting == 1 })
    await first.finish(lock, storing: nil, for: .ct())  // failed (or died: the kernel lets go the same way)
    guard case .fetch(let taken?) = try await waiter.value else {
      Issue.record("the waiter did not take the lead")
      return
    }
    taken.release(removingFile: true)
  }

  @Test func aWaitThatRunsOutFetchesWithoutTheLead() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let first = Self.cache(dir, clock: clock)
    let second = Self.cache(dir, clock: clock, flightWait: .milliseconds(20))
    guard case .fetch(let lock?) = try await first.lead(.ct()) else {
      Issue.record("the first call did not get the lead")
      return
    }
    defer { lock.release(removingFile: true) }
    guard case .fetch(nil) = try await second.lead(.ct()) else {
      Issue.record("the wait did not run out")
      return
    }
    #expect(second.stats.waitsTimedOut == 1)
  }

  @Test func aCancelledWaiterStopsWaiting() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let first = Self.cache(dir, clock: clock)
    let second = Self.cache(dir, clock: clock)
    guard case .fetch(let lock?) = try await first.lead(.ct()) else {
      Issue.record("the first call did not get the lead")
      return
    }
    defer { lock.release(removingFile: true) }
    let waiter = Task { try await second.lead(.ct()) }
    #expect(await waitUntil { second.stats.waiting == 1 })
    waiter.cancel()
    await #expect(throws: CancellationError.self) { try await waiter.value }
    #expect(second.stats.waiting == 0)
  }

  @Test func differentRequestsDoNotWaitForEachOther() async throws {
    let dir = try TemporaryDirectory()
    let clock = Clock()
    let first = Self.cache(dir, clock: clock)
    let second = Self.cache(dir, clock: clock, flightWait: .seconds(600))
    guard case .fetch(let lock?) = try await first.lead(.ct("CA")) else {
      Issue.record("the first call did not get the lead")
      return
    }
    defer { lock.release(removingFile: true) }
    guard case .fetch(let other?) = try await second.lead(.ct("TLD")) else {
      Issue.record("another request waited")
      return
    }
    other.release(removingFile: true)
  }
}
