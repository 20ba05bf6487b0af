import Foundation
import JSON
import TestSupport
import Testing

@testable import Radar

/// The HTTP backend against `fake_cloudflare.py` on 127.0.0.1 (one fake per test, so counters
/// are the test's own and tests run in parallel).
@Suite struct LiveBackendTests {
  static let token = "test-token-123"

  private func backend(
    _ fake: FakeCloudflare, credentials: Credentials? = .apiToken(token), timeout: Duration = .seconds(30)
  ) throws -> LiveBackend {
    LiveBackend(baseURL: try BaseURL(fake.baseURL), credentials: CredentialStore(credentials), timeout: timeout)
  }

  private static let endpoints: [(method: String, template: String, dimensions: [String])] = [
    ("radar.ct.timeseriesGroups", "/radar/ct/timeseries_groups/{dimension}", ["CA", "DURATION", "VALIDATION_LEVEL"]),
    (
      "radar.leakedCredentialChecks.timeseriesGroups", "/radar/leaked_credential_checks/timeseries_groups/{dimension}",
      ["COMPROMISED", "BOT_CLASS"]
    ),
    ("radar.netflows.timeseriesGroups", "/radar/netflows/timeseries_groups/{dimension}", ["ADM1", "AS", "PRODUCT"]),
  ]

  @Test func everyMethodAndSomeDimensionsRoundTrip() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    let backend = try backend(fake)
    let items = [
      QueryItem("aggInterval", "1d"), QueryItem("dateRange", "7d"), QueryItem("dateRange", "7dcontrol"),
      QueryItem("name", "this week"), QueryItem("name", "last_week"),
    ]
    for endpoint in Self.endpoints {
      for dimension in endpoint.dimensions {
        let path = endpoint.template.replacingOccurrences(of: "{dimension}", with: dimension)
        let request = RadarRequest(
          method: endpoint.method, pathTemplate: endpoint.template, path: path, queryItems: items)
        let result = try await backend.fetch(request)
        #expect(result.value["meta"]?["aggInterval"] == "ONE_DAY", "\(path)")
        let series = try #require(result.value["this week"]?.objectValue, "\(path)")
        #expect(series["timestamps"]?.arrayValue?.count == 7)
        #expect(result.value["last_week"]?["timestamps"]?.arrayValue?.count == 7)
        let last = try #require(try await fake.counters()["lastRequest"])
        #expect(last["path"]?.stringValue == path)
        // Repeated keys arrive in series order, percent-encoded exactly as the request says.
        #expect(last["query"]?.stringValue == request.queryString)
        #expect(
          request.queryString == "aggInterval=1d&dateRange=7d&dateRange=7dcontrol&name=this%20week&name=last_week")
      }
    }
    #expect(try await fake.total() == 8)
  }

  @Test func csvComesBackAsTheCSVShape() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    let request = RadarRequest.ct(
      "ENTRY_TYPE", [QueryItem("aggInterval", "1d"), QueryItem("dateRange", "2d"), QueryItem("format", "CSV")])
    let result = try await backend(fake).fetch(request)
    let csv = try #require(result.value["csv"]?.stringValue)
    #expect(result.value["format"] == "CSV")
    #expect(csv.hasPrefix("Serie_0 timestamps,Serie_0 CERTIFICATE,Serie_0 PRECERTIFICATE\n"))
    #expect(csv.split(separator: "\n").count == 3)
  }

  @Test func sendsAcceptUserAgentAndBearerToken() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    _ = try await backend(fake).fetch(.ct())
    let headers = try #require(try await fake.counters()["lastRequest"]?["headers"])
    #expect(headers["accept"] == "application/json")
    #expect(headers["user-agent"]?.stringValue == RadarRPCVersion.userAgent)
    #expect(headers["authorization"]?.stringValue == "Bearer \(Self.token)")
    #expect(headers["x-auth-key"] == nil)
  }

  @Test func sendsEmailAndKeyForAGlobalAPIKey() async throws {
    let fake = try await FakeCloudflare.start(["--email", "me@example.com", "--key", "global-key-456"])
    defer { fake.stop() }
    _ = try await backend(fake, credentials: .apiKey(email: "me@example.com", key: "global-key-456")).fetch(.ct())
    let headers = try #require(try await fake.counters()["lastRequest"]?["headers"])
    #expect(headers["x-auth-email"] == "me@example.com")
    #expect(headers["x-auth-key"] == "global-key-456")
    #expect(headers["authorization"] == nil)
  }

  @Test func withoutCredentialsNothingIsSent() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    await #expect(throws: RadarError.unauthorized(httpStatus: nil, errors: [])) {
      try await backend(fake, credentials: nil).fetch(.ct())
    }
    #expect(try await fake.total() == 0)
  }

  @Test func credentialsSetLaterApplyToTheNextAttempt() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    let store = CredentialStore()
    let backend = LiveBackend(baseURL: try BaseURL(fake.baseURL), credentials: store)
    await #expect(throws: RadarError.unauthorized(httpStatus: nil, errors: [])) { try await backend.fetch(.ct()) }
    store.set(.apiToken(Self.token), source: "a test")
    _ = try await backend.fetch(.ct())
    #expect(try await fake.total() == 1)
  }

  @Test func rejectedCredentialsAreUnauthorized() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    await #expect(
      throws: RadarError.unauthorized(httpStatus: 403, errors: [.init(code: 10000, message: "Authentication error")])
    ) {
      try await backend(fake, credentials: .apiToken("wrong-token")).fetch(.ct())
    }
    try await fake.script([fault("status", ["status": 401])])
    await #expect(
      throws: RadarError.unauthorized(
        httpStatus: 401, errors: [.init(code: 10001, message: "Unable to authenticate request")])
    ) {
      try await backend(fake).fetch(.ct())
    }
  }

  @Test func faultyAnswersMapToTheContractErrors() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    let cases: [(JSONValue, RadarError)] = [
      (fault("garbage"), .unavailable(reason: "the upstream body is not JSON (application/json)")),
      (fault("truncated"), .unavailable(reason: "connection closed before the whole body arrived")),
      (fault("reset"), .unavailable(reason: "connection lost (reset by the server)")),
      (fault("close"), .unavailable(reason: "empty or malformed HTTP answer")),
      (
        fault("success_false"),
        .upstream(httpStatus: 200, errors: [.init(code: 2001, message: "Input Validation Error")])
      ),
      (
        fault("status", ["status": 400]),
        .upstream(httpStatus: 400, errors: [.init(code: 2001, message: "Input Validation Error")])
      ),
      (
        fault("status", ["status": 500]),
        .upstream(httpStatus: 500, errors: [.init(code: 2000, message: "Internal Error")])
      ),
    ]
    for (fault, expected) in cases {
      try await fake.script([fault])
      // A new backend has no idle connection: libcurl silently retries a GET once when a
      // *reused* connection dies before answering, which would hide a reset or close here.
      await #expect(throws: expected) { try await backend(fake).fetch(.ct()) }
    }
    #expect(try await fake.total() == cases.count)
  }

  /// A hang of ten minutes against a timeout of 0.3 s: whichever bound ends it first (the
  /// backend's, or curl's a second later on a loaded machine), the reason is the same.
  @Test func anAttemptThatOutlivesTheTimeoutIsUnavailable() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    try await fake.script([fault("hang", ["ms": 600_000])])
    let started = ContinuousClock.now
    await #expect(throws: RadarError.unavailable(reason: "timed out after 0.3 s")) {
      try await backend(fake, timeout: .milliseconds(300)).fetch(.ct())
    }
    #expect(ContinuousClock.now - started < defaultTimeout)  // ten times below the hang
  }

  @Test func cancellingTheCallerCancelsTheRequest() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    try await fake.script([fault("hang", ["ms": 600_000])])
    let backend = try backend(fake, timeout: .seconds(600))
    let task = Task { try await backend.fetch(.ct()) }
    #expect(await waitUntil { (try? await fake.counters()["concurrent"]?.intValue) == 1 })
    let started = ContinuousClock.now
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(ContinuousClock.now - started < defaultTimeout)  // ten times below the hang and the timeout
  }

  /// The answer limit (`--max-message-bytes`, contract §7) holds for Cloudflare's answers too.
  @Test func anAnswerLargerThanTheLimitIsRefused() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    let whole = try await backend(fake).fetch(.ct())
    let small = LiveBackend(
      baseURL: try BaseURL(fake.baseURL), credentials: CredentialStore(.apiToken(Self.token)), maxAnswerBytes: 256)
    do {
      _ = try await small.fetch(.ct())
      Issue.record("an answer of \(whole.byteCount) bytes passed a limit of 256")
    } catch RadarError.answerTooLarge(let bytes, let limit) {
      #expect(limit == 256)
      #expect(bytes == whole.byteCount)  // the Content-Length, before any of the body was read
    }
  }

  /// Headers are untrusted too (contract §7): a `Content-Length` past any integer is a length past
  /// the limit, not a trap; one that is not a number, or longer than the body, leaves the answer
  /// unreadable; and an answer's header bytes are bounded whatever the libcurl loaded allows
  /// (300 headers of 1000 bytes stay under libcurl's own 300 KiB and past radar-rpc's 256 KiB).
  @Test func hostileHeadersAreBounded() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    let limit = 1 << 20
    let padding = JSONValue.object(
      JSONObject((0..<300).map { ("X-Pad-\($0)", .string(String(repeating: "p", count: 1000))) }))
    let cases: [(JSONValue, RadarError)] = [
      (
        fault("ok", ["headers": ["Content-Length": "99999999999999999999999"]]),
        .answerTooLarge(estimatedBytes: 1_000_000_000_000_000, limit: limit)
      ),
      (
        fault("ok", ["headers": ["Content-Length": "1048577"]]),
        .answerTooLarge(estimatedBytes: limit + 1, limit: limit)
      ),
      (fault("ok", ["headers": ["Content-Length": "-1"]]), .unavailable(reason: "empty or malformed HTTP answer")),
      (
        fault("ok", ["headers": ["Content-Length": "1000000"]]),
        .unavailable(reason: "connection closed before the whole body arrived")
      ),
      (fault("ok", ["headers": padding]), .unavailable(reason: "the answer's headers pass 256 KiB")),
    ]
    for (fault, expected) in cases {
      try await fake.script([fault])
      let backend = LiveBackend(
        baseURL: try BaseURL(fake.baseURL), credentials: CredentialStore(.apiToken(Self.token)), maxAnswerBytes: limit)
      await #expect(throws: expected) { try await backend.fetch(.ct()) }
    }
    // Headers nobody acts on change nothing: the same answer as without them.
    let odd: JSONValue = [
      "Set-Cookie": .string("c=" + String(repeating: "c", count: 64 << 10)), "Location": "javascript:alert(1)",
      "Content-Type": "application/json; charset=utf-32",
    ]
    try await fake.script([fault("ok", ["headers": odd])])
    let answer = try await backend(fake).fetch(.ct())
    #expect(answer == (try await backend(fake).fetch(.ct())))
  }

  @Test func aRedirectToAnotherHostNeverCarriesTheCredentials() async throws {
    let fake = try await FakeCloudflare.start()
    let other = try await FakeCloudflare.start(["--no-auth"])
    defer {
      fake.stop()
      other.stop()
    }
    try await fake.script([fault("redirect", ["port": .number(JSONNumber(other.port))])])
    let result = try await backend(fake).fetch(.ct())
    #expect(result.value["serie_0"] != nil)
    let arrived = try #require(try await other.counters()["lastRequest"])
    #expect(arrived["path"] == "/radar/ct/timeseries_groups/CA")
    #expect(arrived["headers"]?["authorization"] == nil)
    #expect(try await other.counters()["credentialRequests"] == 0)
    #expect(try await fake.counters()["credentialRequests"] == 1)
  }

  @Test func aRedirectToTheSameOriginKeepsTheCredentials() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    try await fake.script([fault("redirect", ["location": "/client/v4/radar/ct/timeseries_groups/TLD?dateRange=1d"])])
    let result = try await backend(fake).fetch(.ct())
    #expect(result.value["serie_0"]?["com"] != nil)
    #expect(try await fake.counters()["credentialRequests"] == 2)
  }

  @Test func aRedirectToLocalhostIsAnotherOrigin() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    // Same port, other host name: the credentials stay behind, so the fake asks for them.
    try await fake.script([fault("redirect", ["host": "localhost"])])
    await #expect(
      throws: RadarError.unauthorized(
        httpStatus: 400,
        errors: [.init(code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers")])
    ) {
      try await backend(fake).fetch(.ct())
    }
  }

  /// A `Location` is text from outside: a port past what an integer or TCP holds is not read as
  /// "no port" (the default, the base URL's own, which would carry the credentials); nothing is sent.
  @Test func aRedirectToAPortOutOfRangeIsNotFollowed() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    for port in ["99999999999999999999", "65536", "0"] {
      try await fake.script([fault("redirect", ["location": .string("http://127.0.0.1:\(port)/client/v4/radar")])])
      await #expect(
        throws: RadarError.unavailable(reason: "redirect to a location that is not an http(s) URL with a valid port")
      ) { try await backend(fake).fetch(.ct()) }
    }
    #expect(try await fake.total() == 3)
  }

  @Test func redirectLoopsStopAfterFiveHops() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    try await fake.script([fault("redirect", ["times": -1])])
    await #expect(throws: RadarError.unavailable(reason: "too many redirects")) { try await backend(fake).fetch(.ct()) }
    #expect(try await fake.total() == 6)
  }

  @Test func connectionsAreReused() async throws {
    let fake = try await FakeCloudflare.start()
    defer { fake.stop() }
    let backend = try backend(fake)
    for i in 0..<5 { _ = try await backend.fetch(.ct("CA", [QueryItem("limitPerGroup", "\(i + 2)")])) }
    let ports = Set(try await fake.requests().compactMap { $0["clientPort"]?.intValue })
    #expect(ports.count == 1)
  }
}
