import TestSupport
import Testing

@testable import Radar

@Suite struct RetryPolicyTests {
  private let policy = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(500), maxDelay: .seconds(8))

  @Test func backoffIsFullJitterUnderAnExponentialCeiling() {
    for retry in 0..<10 {
      let ceiling = min(Duration.seconds(8), .milliseconds(500) * (1 << retry))
      #expect(policy.backoff(retry: retry, random: 0) == .zero)
      #expect(policy.backoff(retry: retry, random: 0.5) == ceiling / 2)
      let top = policy.backoff(retry: retry, random: 0.999_999)
      #expect(top < ceiling && top > ceiling * 0.99)
    }
    #expect(policy.backoff(retry: 1000, random: 0.5) == .seconds(4))
  }

  @Test func retries408_429_5xxAndNetworkErrors() {
    let retryable: [RadarError] = [
      .upstream(httpStatus: 408, errors: []), .upstream(httpStatus: 500, errors: []),
      .upstream(httpStatus: 502, errors: []), .upstream(httpStatus: 503, errors: []),
      .rateLimited(retryAfterSeconds: nil), .unavailable(reason: "connection lost"),
    ]
    for error in retryable {
      guard case .retry(let delay, _) = policy.decide(after: error, retriesSoFar: 0, waited: .zero, random: 0.5) else {
        Issue.record("\(error) should be retried")
        continue
      }
      #expect(delay == .milliseconds(250))
    }
  }

  @Test func doesNotRetryClientErrorsOrRejectedCredentials() {
    let final: [RadarError] = [
      .upstream(httpStatus: 400, errors: []), .upstream(httpStatus: 404, errors: []),
      .upstream(httpStatus: 422, errors: []), .upstream(httpStatus: 200, errors: []),
      .unauthorized(httpStatus: 403, errors: []), .unauthorized(httpStatus: nil, errors: []),
    ]
    for error in final {
      #expect(policy.decide(after: error, retriesSoFar: 0, waited: .zero, random: 0.5) == .giveUp(error))
    }
  }

  @Test func givesUpAfterMaxRetries() {
    let error = RadarError.upstream(httpStatus: 503, errors: [])
    #expect(policy.decide(after: error, retriesSoFar: 2, waited: .zero, random: 0.5) != .giveUp(error))
    #expect(policy.decide(after: error, retriesSoFar: 3, waited: .zero, random: 0.5) == .giveUp(error))
    let none = RetryPolicy(maxRetries: 0)
    #expect(none.decide(after: error, retriesSoFar: 0, waited: .zero, random: 0.5) == .giveUp(error))
  }

  @Test func honoursRetryAfterInsteadOfTheBackoff() {
    let decision = policy.decide(after: .rateLimited(retryAfterSeconds: 2), retriesSoFar: 0, waited: .zero, random: 0)
    #expect(decision == .retry(after: .seconds(2), reason: "rate limited by Cloudflare (HTTP 429)"))
    let unavailable = RadarError.upstream(httpStatus: 503, errors: [], retryAfterSeconds: 1.5)
    #expect(
      policy.decide(after: unavailable, retriesSoFar: 1, waited: .zero, random: 0)
        == .retry(after: .milliseconds(1500), reason: "Cloudflare answered HTTP 503"))
  }

  @Test func givesUpEarlyWhenRetryAfterAsksForMoreThanTheBudgetLeft() {
    // The default budget is retries × maxDelay = 24 s.
    #expect(policy.budget == .seconds(24))
    let long = RadarError.rateLimited(retryAfterSeconds: 300)
    #expect(policy.decide(after: long, retriesSoFar: 0, waited: .zero, random: 0.5) == .giveUp(long))
    let medium = RadarError.rateLimited(retryAfterSeconds: 10)
    #expect(
      policy.decide(after: medium, retriesSoFar: 0, waited: .zero, random: 0.5)
        == .retry(after: .seconds(10), reason: "rate limited by Cloudflare (HTTP 429)"))
    #expect(policy.decide(after: medium, retriesSoFar: 1, waited: .seconds(15), random: 0.5) == .giveUp(medium))
    // A 503's Retry-After counts the same way; the longest wait an answer can ask for, too.
    let unavailable = RadarError.upstream(httpStatus: 503, errors: [], retryAfterSeconds: 300)
    #expect(policy.decide(after: unavailable, retriesSoFar: 0, waited: .zero, random: 0.5) == .giveUp(unavailable))
    let day = RadarError.rateLimited(retryAfterSeconds: 86_400)
    #expect(policy.decide(after: day, retriesSoFar: 0, waited: .zero, random: 0.5) == .giveUp(day))
    let unbounded = RetryPolicy(maxRetries: 3, budget: .seconds(86_400))
    #expect(
      unbounded.decide(after: day, retriesSoFar: 0, waited: .zero, random: 0.5)
        == .retry(after: .seconds(86_400), reason: "rate limited by Cloudflare (HTTP 429)"))
    for odd in [Double.infinity, -.infinity, .nan, -1, 86_401, 1e300] {
      #expect(RetryPolicy.duration(seconds: odd) == .seconds(86_400), "\(odd)")
    }
  }

  @Test func theBackoffNeverOverrunsTheBudget() {
    let tight = RetryPolicy(maxRetries: 5, baseDelay: .seconds(1), maxDelay: .seconds(8), budget: .seconds(3))
    let error = RadarError.unavailable(reason: "reset")
    #expect(
      tight.decide(after: error, retriesSoFar: 3, waited: .milliseconds(2500), random: 0.9)
        == .retry(after: .milliseconds(500), reason: "upstream unavailable: reset"))
    #expect(tight.decide(after: error, retriesSoFar: 3, waited: .seconds(3), random: 0.9) == .giveUp(error))
  }
}

/// Retries as the client runs them, on a virtual clock.
@Suite struct ClientRetryTests {
  private func client(_ backend: TestBackend, clock: TestClock, random: Double = 0.5, retries: Int = 3) -> RadarClient {
    RadarClient(
      backend: backend, configuration: .init(cacheTTL: .zero, retries: retries), clock: clock, random: { random })
  }

  @Test func retriesWithJitteredExponentialBackoffThenSucceeds() async throws {
    let clock = TestClock()
    let backend = TestBackend { _, call in
      guard call > 3 else { throw RadarError.upstream(httpStatus: [500, 502, 503][call - 1], errors: []) }
      return .numbered(call)
    }
    let log = ProgressLog()
    let result = try await client(backend, clock: clock).fetch(.ct(), progress: log.handler)
    #expect(result.call == 4)
    #expect(clock.sleeps == [.milliseconds(250), .milliseconds(500), .milliseconds(1000)])
    #expect(
      log.reports.map(\.message) == [
        "Cloudflare answered HTTP 500; retry 1 of 3 in 0.3 s",
        "Cloudflare answered HTTP 502; retry 2 of 3 in 0.5 s",
        "Cloudflare answered HTTP 503; retry 3 of 3 in 1.0 s",
      ])
  }

  @Test func persistent429EndsAsRateLimitedWithItsRetryAfter() async throws {
    let clock = TestClock()
    let backend = TestBackend { _, _ in throw RadarError.rateLimited(retryAfterSeconds: 1) }
    let client = client(backend, clock: clock)
    await #expect(throws: RadarError.rateLimited(retryAfterSeconds: 1)) { try await client.fetch(.ct()) }
    #expect(backend.calls == 4)
    #expect(clock.sleeps == [.seconds(1), .seconds(1), .seconds(1)])
    let stats = await client.stats()
    #expect(stats.upstreamRequests == 4)
    #expect(stats.upstreamErrors == 4)
    #expect(stats.rateLimited == 4)
    #expect(stats.retries == 3)
  }

  @Test func aLongRetryAfterGivesUpAtOnce() async throws {
    let clock = TestClock()
    let backend = TestBackend { _, _ in throw RadarError.rateLimited(retryAfterSeconds: 300) }
    await #expect(throws: RadarError.rateLimited(retryAfterSeconds: 300)) {
      try await client(backend, clock: clock).fetch(.ct())
    }
    #expect(backend.calls == 1)
    #expect(clock.sleeps.isEmpty)
  }

  /// A 503's Retry-After is honoured the same way: past the budget, the call ends at once.
  @Test func aLongRetryAfterOnA503GivesUpAtOnce() async throws {
    let clock = TestClock()
    let error = RadarError.upstream(httpStatus: 503, errors: [], retryAfterSeconds: 86_400)
    let backend = TestBackend { _, _ in throw error }
    await #expect(throws: error) { try await client(backend, clock: clock).fetch(.ct()) }
    #expect(backend.calls == 1)
    #expect(clock.sleeps.isEmpty)
  }

  @Test func rejectedCredentialsAreNotRetried() async throws {
    let backend = TestBackend { _, _ in throw RadarError.unauthorized(httpStatus: 403, errors: []) }
    await #expect(throws: RadarError.unauthorized(httpStatus: 403, errors: [])) {
      try await client(backend, clock: TestClock()).fetch(.ct())
    }
    #expect(backend.calls == 1)
  }

  @Test func anUnknownBackendErrorBecomesUnavailable() async throws {
    struct Odd: Error {}
    let backend = TestBackend { _, _ in throw Odd() }
    await #expect(throws: RadarError.unavailable(reason: "the backend failed: Odd")) {
      try await client(backend, clock: TestClock(), retries: 0).fetch(.ct())
    }
  }

  /// The backoff sleeps on a clock that never moves, so only the cancellation can end it: the
  /// caller gets `CancellationError`, the flight's sleep is ended (not left to run), and no second
  /// attempt is made. Nothing here depends on how fast the machine is.
  @Test func cancellingDuringABackoffStopsTheCall() async throws {
    let backend = TestBackend { _, _ in throw RadarError.upstream(httpStatus: 503, errors: []) }
    let clock = HeldClock()
    let client = RadarClient(backend: backend, configuration: .init(cacheTTL: .zero), clock: clock, random: { 0.9 })
    let task = Task { try await client.fetch(.ct()) }
    #expect(await waitUntil { clock.started == 1 }, "the backoff after the first failure never began")
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(await client.stats().callsInFlight == 0)  // the last caller out removed the flight at once
    #expect(await waitUntil { clock.cancelled == 1 }, "the flight's backoff was not cancelled")
    #expect(clock.started == 1)
    #expect(backend.calls == 1)
    #expect(await client.stats().retries == 1)
  }
}
