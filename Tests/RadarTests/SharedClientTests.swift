import JSON
import SystemSupport
import TestSupport
import Testing

@testable import Radar

/// `RadarClient`s on one shared directory, each standing for a process: a result one fetched
/// answers the other from disk, a call in flight in one is waited for by the other, the last one
/// out still cancels inside each, and the rate window and a 429's hold are shared per credential.
@Suite struct SharedClientTests {
  private static let upstream = "https://api.cloudflare.com/client/v4"

  /// One "process": its backend, and a client with the shared cache and budget on `dir`.
  private struct Process {
    let backend: TestBackend
    let client: RadarClient
    let cache: SharedCache
  }

  private static func process(
    _ dir: TemporaryDirectory, backend: TestBackend = TestBackend(), token: String = "token-a",
    rateLimit: RateLimit = .cloudflare, retryBudget: Duration? = nil, maxConnections: Int = 6,
    clock: any Clock<Duration> = ContinuousClock()
  ) -> Process {
    let directory = CacheDirectory(path: dir.path + "/cache")
    let cache = SharedCache(directory: directory, upstream: upstream, ttl: .seconds(60), maxBytes: 1 << 20)
    let budget = SharedRateBudget(directory: directory, upstream: upstream, credentials: { .apiToken(token) })
    let configuration = RadarClientConfiguration(
      maxConnections: maxConnections, rateLimit: rateLimit, retryBudget: retryBudget)
    let client = RadarClient(
      backend: backend, configuration: configuration, sharedCache: cache, sharedBudget: budget, clock: clock)
    return Process(backend: backend, client: client, cache: cache)
  }

  /// Two "processes" on one fresh directory: the first one's call of `.ct()` (`leader`) is held
  /// upstream at `gate`, and the second one's (`follower`) waits for it. How the tests of a call
  /// in flight across processes start.
  private struct CallWaitedFor {
    let dir: TemporaryDirectory
    let gate: Gate
    let first: Process
    let second: Process
    let leader: Task<RadarResult, any Error>
    let follower: Task<RadarResult, any Error>
  }

  private static func callWaitedFor() async throws -> CallWaitedFor {
    let dir = try TemporaryDirectory()
    let gate = Gate()
    let first = process(dir, backend: .gated(by: gate))
    let second = process(dir)
    let leader = Task { try await first.client.fetch(.ct()) }
    #expect(await waitUntil { gate.waiting == 1 })
    let follower = Task { try await second.client.fetch(.ct()) }
    #expect(await waitUntil { second.cache.stats.waiting == 1 })
    return CallWaitedFor(dir: dir, gate: gate, first: first, second: second, leader: leader, follower: follower)
  }

  @Test func aResultOneProcessFetchedAnswersAnotherFromDisk() async throws {
    let dir = try TemporaryDirectory()
    let first = Self.process(dir)
    let second = Self.process(dir)
    #expect(try await first.client.fetch(.ct()).call == 1)
    #expect(try await second.client.fetch(.ct()).call == 1)
    #expect(second.backend.calls == 0)
    let stats = await second.client.stats()
    #expect(stats.diskHits == 1 && stats.memoryHits == 0 && stats.cacheHits == 1)
    _ = try await second.client.fetch(.ct())
    #expect(await second.client.stats().memoryHits == 1)
  }

  /// Adversary adv3, F2: a process whose call waits for one of its own connections holds the
  /// call's lock meanwhile, and the processes waiting for that call counted that wait against
  /// their bound (a duplicate upstream call when it ran out). Once it has its connection it says
  /// so in its ``FlightRecord``, which starts their wait again.
  @Test func aCallThatGetsItsConnectionTellsTheProcessesWaitingForIt() async throws {
    let dir = try TemporaryDirectory()
    let (first, second) = (Gate(), Gate())
    let backend = TestBackend { _, call in
      try await (call == 1 ? first : second).wait()
      return .numbered(call)
    }
    let holder = Self.process(dir, backend: backend, maxConnections: 1)
    let one = Task { try await holder.client.fetch(.ct("CA")) }
    #expect(await waitUntil { first.waiting == 1 })
    let two = Task { try await holder.client.fetch(.ct("TLD")) }
    let lock = holder.cache.directory.flights + "/" + holder.cache.disk.fileName(for: holder.cache.key(for: .ct("TLD")))
    // Its lock is taken, and it waits for the one connection.
    #expect(await waitUntil { Files.identity(lock) != nil })
    #expect(FlightRecord.read(lock) == nil)
    first.open()
    #expect(await waitUntil { second.waiting == 1 })  // it has the connection and is upstream
    #expect(FlightRecord.read(lock) != nil)
    second.open()
    #expect(try await one.value.call == 1)
    #expect(try await two.value.call == 2)
  }

  @Test func aPollDoesNotTakeAnOlderResultFromDisk() async throws {
    let dir = try TemporaryDirectory()
    let first = Self.process(dir)
    let second = Self.process(dir)
    _ = try await first.client.fetch(.ct())
    _ = try await second.client.fetch(.ct(), cachePolicy: .refresh)
    #expect(second.backend.calls == 1)
  }

  @Test func errorsAreNeverShared() async throws {
    let dir = try TemporaryDirectory()
    let failing = TestBackend { _, _ in throw RadarError.upstream(httpStatus: 400, errors: []) }
    let first = Self.process(dir, backend: failing)
    let second = Self.process(dir)
    await #expect(throws: RadarError.self) { try await first.client.fetch(.ct()) }
    #expect(try await second.client.fetch(.ct()).call == 1)
    #expect(second.backend.calls == 1)
    #expect(dir.files("cache/results").count == 1)
  }

  @Test func aCallInFlightInOneProcessIsWaitedForByAnother() async throws {
    let call = try await Self.callWaitedFor()
    call.gate.open()
    #expect(try await call.leader.value.call == 1)
    #expect(try await call.follower.value.call == 1)
    #expect(call.second.backend.calls == 0)
    #expect(await call.second.client.stats().coalescedAcrossProcesses == 1)
  }

  @Test func theLastCallerOutStillCancelsAWaitForAnotherProcess() async throws {
    let call = try await Self.callWaitedFor()
    call.follower.cancel()
    await #expect(throws: CancellationError.self) { try await call.follower.value }
    #expect(
      await waitUntil {
        let calls = await call.second.client.stats().callsInFlight
        return calls == 0 && call.second.cache.stats.waiting == 0
      })
    call.gate.open()
    #expect(try await call.leader.value.call == 1)
  }

  @Test func whenTheLeadingProcessGivesUpAWaiterFetchesItself() async throws {
    let call = try await Self.callWaitedFor()
    call.leader.cancel()  // the last one out in the first process: its call ends, its lock goes
    await #expect(throws: CancellationError.self) { try await call.leader.value }
    #expect(try await call.follower.value.call == 1)
    #expect(call.second.backend.calls == 1)
  }

  @Test func processesWithOneCredentialShareOneWindow() async throws {
    let dir = try TemporaryDirectory()
    let clock = TestClock()
    let limit = RateLimit(requests: 3, per: .seconds(3600))
    let first = Self.process(dir, rateLimit: limit, clock: clock)
    let second = Self.process(dir, rateLimit: limit, retryBudget: .seconds(7200), clock: clock)
    _ = try await first.client.fetch(.ct("CA"))
    _ = try await first.client.fetch(.ct("TLD"))
    _ = try await second.client.fetch(.ct("LOG"))
    #expect(clock.sleeps.isEmpty)
    _ = try await second.client.fetch(.ct("LOG_API"))  // the fourth in the window: waits about an hour
    #expect(await second.client.stats().rateLimiterWaits == 1)
    #expect(clock.sleeps.count == 1 && clock.sleeps[0] > .seconds(3500))
  }

  /// Finding 2 of the issue-19 adversarial test: a budget file holding everyone back until the
  /// year 2100 (hand-written, or a writer's clock far ahead) holds a call back for one window of its
  /// rate limit at most, instead of failing every call of every process for good.
  @Test func aHoldInTheFarFutureHoldsBackForOneWindowAtMost() async throws {
    let dir = try TemporaryDirectory()
    let limit = RateLimit(requests: 10, per: .seconds(60))
    let first = Self.process(dir, rateLimit: limit)
    _ = try await first.client.fetch(.ct("CA"))
    let names = dir.files("cache/budgets")
    try #require(names.count == 1)
    var state = RateBudgetState()
    state.hold(until: 4_102_444_800_000, by: 42)  // 2100-01-01
    state.writtenAt = WallClock.milliseconds()
    let written = state.encoded.withUnsafeBytes {
      Files.replace(dir.path + "/cache/budgets/" + names[0], with: [$0], temporaryPath: dir.path + "/budget.tmp")
    }
    try #require(written)
    let clock = TestClock()
    let second = Self.process(dir, rateLimit: limit, retryBudget: .seconds(120), clock: clock)
    _ = try await second.client.fetch(.ct("TLD"))
    #expect(second.backend.calls == 1)
    #expect(clock.sleeps.count == 1 && clock.sleeps[0] <= .seconds(60))
  }

  /// A slot further away than the call can afford (its retry budget) ends the call at once with
  /// a 429's error (contract §7), sending nothing and taking no slot.
  @Test func aSlotFurtherAwayThanTheCallCanAffordEndsItAtOnce() async throws {
    let dir = try TemporaryDirectory()
    let clock = TestClock()
    let limit = RateLimit(requests: 1, per: .seconds(3600))
    let first = Self.process(dir, rateLimit: limit, clock: clock)
    let second = Self.process(dir, rateLimit: limit, retryBudget: .seconds(60), clock: clock)
    _ = try await first.client.fetch(.ct("CA"))
    do {
      _ = try await second.client.fetch(.ct("TLD"))
      Issue.record("the call waited for a slot an hour away")
    } catch RadarError.heldBack(let retryAfter, let byAnother429) {
      #expect(retryAfter > 3500 && retryAfter <= 3600 && !byAnother429)
    }
    #expect(second.backend.calls == 0)
    #expect(clock.sleeps.isEmpty)
  }

  /// Finding 1 of the issue-19 adversarial test: a process with a strict `--rate-limit` (1 per
  /// hour) reserved its second slot an hour ahead and died; a process with Cloudflare's limit
  /// still calls at once instead of queueing behind that slot.
  @Test func anotherProcesssStricterLimitDoesNotHoldThisOneBack() async throws {
    let dir = try TemporaryDirectory()
    let strictClock = TestClock()
    let strict = Self.process(
      dir, rateLimit: RateLimit(requests: 1, per: .seconds(3600)), retryBudget: .seconds(7200), clock: strictClock)
    _ = try await strict.client.fetch(.ct("CA"))
    _ = try await strict.client.fetch(.ct("TLD"))  // its slot is an hour ahead
    #expect(strictClock.sleeps.count == 1)
    let clock = TestClock()
    let other = Self.process(dir, clock: clock)
    _ = try await other.client.fetch(.ct("LOG"))
    #expect(clock.sleeps.isEmpty)
    #expect(await other.client.stats().rateLimiterWaits == 0)
  }

  @Test func anotherCredentialHasABudgetOfItsOwn() async throws {
    let dir = try TemporaryDirectory()
    let clock = TestClock()
    let limit = RateLimit(requests: 1, per: .seconds(3600))
    let first = Self.process(dir, token: "token-a", rateLimit: limit, clock: clock)
    let second = Self.process(dir, token: "token-b", rateLimit: limit, clock: clock)
    _ = try await first.client.fetch(.ct("CA"))
    _ = try await second.client.fetch(.ct("TLD"))
    #expect(clock.sleeps.isEmpty)
    #expect(dir.files("cache/budgets").count == 2)
    #expect(dir.files("cache/budgets").allSatisfy { !$0.contains("token") })
  }

  @Test func aRetryAfterSeenByOneHoldsBackTheOthers() async throws {
    let dir = try TemporaryDirectory()
    let limited = TestBackend { _, _ in throw RadarError.rateLimited(retryAfterSeconds: 600) }
    let first = Self.process(dir, backend: limited, retryBudget: .seconds(5))
    let second = Self.process(dir, retryBudget: .seconds(5))
    await #expect(throws: RadarError.self) { try await first.client.fetch(.ct("CA")) }
    do {
      _ = try await second.client.fetch(.ct("TLD"))
      Issue.record("the second process's call went out")
    } catch RadarError.heldBack(let retryAfter, let byAnother429) {
      // 600 s asked; held for at most one window of the rate limit (Cloudflare's: 300 s).
      #expect(retryAfter > 250 && retryAfter <= 300 && byAnother429)
    }
    #expect(second.backend.calls == 0)
    // The process that got the 429 goes on as it would alone (its retry policy honours it).
    await #expect(throws: RadarError.self) { try await first.client.fetch(.ct("TLD")) }
    #expect(first.backend.calls == 2)
  }
}
