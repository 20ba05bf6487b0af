import Foundation
import JSON
import SystemSupport
import TestSupport
import Testing

@testable import Diagnostics
@testable import Radar

/// `RadarClient` over `LiveBackend` over `fake_cloudflare.py`: coalescing, the connection cap
/// and retries as they behave on real sockets. Retry waits are short through configuration.
@Suite struct LiveClientTests {
  static let token = "live-client-token-789"

  private func client(
    _ fake: FakeCloudflare, credentials: Credentials? = .apiToken(token), retries: Int = 3,
    maxConnections: Int = 6, cacheTTL: Duration = .zero, timeout: Duration = .seconds(30)
  ) throws -> RadarClient {
    let backend = LiveBackend(
      baseURL: try BaseURL(fake.baseURL), credentials: CredentialStore(credentials), timeout: timeout,
      maxConnections: maxConnections)
    let configuration = RadarClientConfiguration(
      cacheTTL: cacheTTL, maxConnections: maxConnections, retries: retries, retryBaseDelay: .milliseconds(10),
      retryMaxDelay: .milliseconds(40), retryBudget: .seconds(3))
    return RadarClient(backend: backend, configuration: configuration)
  }

  private static func start() async throws -> FakeCloudflare {
    try await FakeCloudflare.start(["--token", token])
  }

  @Test func hundredIdenticalConcurrentRequestsMakeOneUpstreamCall() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.control("latency", ["ms": 300])
    let client = try client(fake)
    let results = try await withThrowingTaskGroup(of: RadarResult.self) { group in
      for _ in 0..<100 { group.addTask { try await client.fetch(.ct()) } }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(Set(results).count == 1)
    #expect(try await fake.total() == 1)
    #expect(await client.stats().coalesced == 99)
  }

  @Test func twentyFourDistinctRequestsNeverExceedTheConnectionCap() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.control("latency", ["ms": 100])
    let client = try client(fake, maxConnections: 6)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for i in 0..<24 {
        group.addTask { _ = try await client.fetch(.ct("CA", [QueryItem("limitPerGroup", "\(i + 2)")])) }
      }
      try await group.waitForAll()
    }
    let counters = try await fake.counters()
    #expect(counters["total"] == 24)
    let peak = try #require(counters["concurrentMax"]?.intValue)
    #expect(peak <= 6 && peak >= 2)
  }

  @Test func a429ThenSuccessAfterRetryAfter() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("status", ["status": 429, "retryAfter": "1"])])
    let client = try client(fake)
    let log = ProgressLog()
    let started = ContinuousClock.now
    let result = try await client.fetch(.ct(), progress: log.handler)
    #expect(ContinuousClock.now - started >= .seconds(1))
    #expect(result.value["serie_0"] != nil)
    #expect(try await fake.total() == 2)
    #expect(log.reports.map(\.message) == ["rate limited by Cloudflare (HTTP 429); retry 1 of 3 in 1.0 s"])
    let stats = await client.stats()
    #expect(stats.rateLimited == 1 && stats.retries == 1 && stats.upstreamRequests == 2)
  }

  @Test func aRetryAfterHTTPDateIsHonoured() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("status", ["status": 429, "retryAfter": "date:+2"])])
    let started = ContinuousClock.now
    _ = try await client(fake).fetch(.ct())
    // An HTTP date has whole seconds: "now + 2 s" is 1 to 2 s away when it is read.
    #expect(ContinuousClock.now - started >= .milliseconds(900))
    #expect(try await fake.total() == 2)
  }

  @Test func persistent429EndsAsRateLimited() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("status", ["status": 429, "retryAfter": "0", "times": -1])])
    await #expect(throws: RadarError.rateLimited(retryAfterSeconds: 0)) { try await client(fake).fetch(.ct()) }
    #expect(try await fake.total() == 4)
  }

  @Test func aRetryAfterBeyondTheBudgetGivesUpAtOnce() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("status", ["status": 429, "retryAfter": "300", "times": -1])])
    await #expect(throws: RadarError.rateLimited(retryAfterSeconds: 300)) { try await client(fake).fetch(.ct()) }
    #expect(try await fake.total() == 1)
  }

  @Test func serverErrorsAreRetried() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([500, 502, 503].map { fault("status", ["status": .number(JSONNumber($0))]) })
    let client = try client(fake)
    _ = try await client.fetch(.ct())
    #expect(try await fake.total() == 4)
    #expect(await client.stats().retries == 3)
  }

  @Test func persistentServerErrorsEndAsUpstreamErrors() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("status", ["status": 503, "times": -1])])
    await #expect(throws: RadarError.upstream(httpStatus: 503, errors: [.init(code: 5030, message: "HTTP 503")])) {
      try await client(fake, retries: 2).fetch(.ct())
    }
    #expect(try await fake.total() == 3)
  }

  @Test func networkFailuresAreRetried() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("reset"), fault("truncated"), fault("garbage")])
    let client = try client(fake)
    _ = try await client.fetch(.ct())
    #expect(try await fake.total() == 4)
    #expect(await client.stats().upstreamErrors == 3)
  }

  @Test func persistentGarbageEndsAsUnavailable() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("garbage", ["times": -1])])
    await #expect(throws: RadarError.unavailable(reason: "the upstream body is not JSON (application/json)")) {
      try await client(fake, retries: 1).fetch(.ct())
    }
  }

  @Test func successFalseAndClientErrorsAreNotRetried() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    try await fake.script([fault("success_false"), fault("status", ["status": 404])])
    let client = try client(fake)
    await #expect(
      throws: RadarError.upstream(httpStatus: 200, errors: [.init(code: 2001, message: "Input Validation Error")])
    ) {
      try await client.fetch(.ct())
    }
    await #expect(throws: RadarError.upstream(httpStatus: 404, errors: [.init(code: 7003, message: "Not found")])) {
      try await client.fetch(.ct())
    }
    #expect(try await fake.total() == 2)
  }

  @Test func timeoutsAreRetriedThenUnavailable() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    // The timeout tells a hang (60 s) from an answer (milliseconds, or a second or two on a loaded
    // machine): 30 times below the one, far above the other.
    try await fake.script([fault("hang", ["ms": 60_000, "times": 2])])
    let client = try client(fake, retries: 1, timeout: .seconds(2))
    await #expect(throws: RadarError.unavailable(reason: "timed out after 2.0 s")) { try await client.fetch(.ct()) }
    #expect(try await fake.total() == 2)
    try await fake.script([fault("hang", ["ms": 60_000])])
    _ = try await client.fetch(.ct("TLD"))  // one timeout, then an answer
  }

  @Test func rejectedCredentialsAreNotRetried() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    await #expect(
      throws: RadarError.unauthorized(httpStatus: 403, errors: [.init(code: 10000, message: "Authentication error")])
    ) {
      try await client(fake, credentials: .apiToken("not-the-token")).fetch(.ct())
    }
    try await fake.script([fault("status", ["status": 401])])
    await #expect(throws: RadarError.self) { try await client(fake).fetch(.ct()) }
    #expect(try await fake.total() == 2)
  }

  @Test func withoutCredentialsNothingIsSent() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    await #expect(throws: RadarError.unauthorized(httpStatus: nil, errors: [])) {
      try await client(fake, credentials: nil).fetch(.ct())
    }
    #expect(try await fake.total() == 0)
  }

  @Test func theCacheAnswersRepeatsWithoutTraffic() async throws {
    let fake = try await Self.start()
    defer { fake.stop() }
    let client = try client(fake, cacheTTL: .seconds(60))
    let first = try await client.fetch(.ct())
    try await fake.control("version", [:])  // upstream data changes, but the cache is fresh
    #expect(try await client.fetch(.ct()) == first)
    let refreshed = try await client.fetch(.ct(), cachePolicy: .refresh)
    #expect(refreshed != first)
    #expect(try await fake.total() == 2)
  }

  /// The token never shows in a log line, even at debug level with retries and redirects, nor in errors.
  @Test func theTokenIsAbsentFromAllOutputAtDebugLevel() async throws {
    let fake = try await Self.start()
    let other = try await FakeCloudflare.start(["--no-auth"])
    defer {
      fake.stop()
      other.stop()
    }
    let lines = Locked<[String]>([])
    let logger = Logger.shared
    let level = logger.level
    logger.level = .debug
    logger.redirect { line in lines.withLock { $0.append(line) } }
    defer {
      logger.redirect(to: nil)
      logger.level = level
    }
    try await fake.script([
      fault("status", ["status": 503]), fault("redirect", ["port": .number(JSONNumber(other.port))]),
    ])
    let radar = try client(fake)
    _ = try await radar.fetch(.ct())
    let wrong = try client(fake, credentials: .apiToken(Self.token + "-wrong"))
    let error = await #expect(throws: RadarError.self) { try await wrong.fetch(.ct()) }
    let logged = lines.withLock { $0 }
    #expect(logged.contains { $0.contains("upstream radar.ct.timeseriesGroups") })
    #expect(logged.allSatisfy { !$0.contains(Self.token) })
    #expect(!"\(String(describing: error))".contains(Self.token))
    #expect(!"\(await radar.stats())".contains(Self.token))
  }
}
