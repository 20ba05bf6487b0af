import Foundation
import JSON
import TestSupport
import Testing

/// Contract §1: a credential never appears in anything the server writes, also when upstream
/// echoes it back. The fake quotes the request's credentials in error messages, error chains,
/// member names, results, non-JSON bodies and response headers, for every kind of upstream
/// failure; with debug logging, work-done progress and a subscription, neither standard output
/// nor standard error may hold a credential value.
@Suite struct CredentialEchoTests {
  enum Source: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case environmentToken, environmentKey, initializeToken
    var testDescription: String { rawValue }
  }

  static let token = "echo-token-8b2f4d71c0"
  static let email = "echo-user@example.com"
  static let key = "echo-global-key-93a1e5"

  /// Upstream echoes in every place it can put text.
  static let echoHeaders: JSONValue = [
    "X-Echo-Authorization": "Bearer <THE TOKEN>", "X-Echo-Email": "<THE EMAIL>", "Content-Language": "<THE TOKEN>",
  ]
  static let echoErrors: JSONValue = [
    [
      "code": 7003, "message": "headers were: Authorization: Bearer <THE TOKEN>; X-Auth-Email: <THE EMAIL>",
      "error_chain": [["code": 1, "message": "X-Auth-Key: <THE TOKEN>"]], "<THE TOKEN>": ["source": "<THE EMAIL>"],
    ]
  ]

  /// A failure kind: the fault the fake plays and the code it must become. Every call has a path
  /// of its own and its fault is scripted there twice, so the one retry meets it too (whether the
  /// kind is retried, or an attempt on a loaded machine ran past `--timeout`).
  struct Failure: Sendable {
    let name: String
    let fault: JSONValue
    let code: Int
  }

  static func fault(_ kind: String, _ options: JSONObject) -> JSONValue {
    var object = options
    object["kind"] = .string(kind)
    object["times"] = 2
    object["headers"] = echoHeaders
    return .object(object)
  }

  static let failures: [Failure] = [
    Failure(name: "400", fault: fault("status", ["status": 400, "errors": echoErrors]), code: -32001),
    Failure(name: "401", fault: fault("status", ["status": 401, "errors": echoErrors]), code: -32005),
    Failure(name: "403", fault: fault("status", ["status": 403, "errors": echoErrors]), code: -32005),
    Failure(
      name: "400 authentication code",
      fault: fault("status", ["status": 400, "errors": [["code": 6003, "message": "Bad header <THE TOKEN>"]]]),
      code: -32005),
    Failure(name: "404", fault: fault("status", ["status": 404, "errors": echoErrors]), code: -32001),
    Failure(
      name: "429", fault: fault("status", ["status": 429, "errors": echoErrors, "retryAfter": "0"]),
      code: -32003),
    Failure(
      name: "429 asking for longer than the call can afford",
      fault: fault("status", ["status": 429, "errors": echoErrors, "retryAfter": "9223372036854775807"]),
      code: -32003),
    Failure(name: "500", fault: fault("status", ["status": 500, "errors": echoErrors]), code: -32001),
    Failure(
      name: "503 with a date no calendar holds",
      fault: fault(
        "status", ["status": 503, "errors": echoErrors, "retryAfter": "Sun, 06 Nov 99999999999999 08:49:37 GMT"]),
      code: -32001),
    Failure(name: "success false", fault: fault("success_false", ["errors": echoErrors]), code: -32001),
    Failure(
      name: "non-JSON body",
      fault: fault(
        "garbage",
        ["body": "<html>Authorization: Bearer <THE TOKEN> <THE EMAIL></html>", "contentType": "text/<THE TOKEN>"]),
      code: -32004),
    Failure(
      name: "non-JSON error body",
      fault: fault("raw", ["status": 502, "body": "Bearer <THE TOKEN>", "contentType": "<THE TOKEN>"]),
      code: -32001),
    Failure(name: "timeout", fault: fault("hang", ["ms": 600_000]), code: -32004),
    Failure(name: "truncated body", fault: fault("truncated", [:]), code: -32004),
    Failure(name: "connection reset", fault: fault("reset", [:]), code: -32004),
    Failure(name: "connection closed", fault: fault("close", [:]), code: -32004),
    Failure(
      name: "redirect to a location quoting the token",
      fault: fault("redirect", ["location": "http://127.0.0.1:1/<THE TOKEN>?key=<THE TOKEN>&email=<THE EMAIL>"]),
      code: -32004),
  ]

  /// A Radar method and dimension per failure kind (and one for the CSV echo), so each call's
  /// script has a path of its own.
  static let targets: [(method: String, segment: String, dimension: String)] =
    [
      "CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API",
      "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL",
    ].map { ("radar.ct.timeseriesGroups", "ct", $0) }
    + ["COMPROMISED", "BOT_CLASS"].map {
      ("radar.leakedCredentialChecks.timeseriesGroups", "leaked_credential_checks", $0)
    }
    + ["ADM1", "AS"].map { ("radar.netflows.timeseriesGroups", "netflows", $0) }

  private func start(_ source: Source) async throws -> (FakeCloudflare, ServerProcess) {
    // The timeout tells the 60 s hang from an answer, also on a loaded machine.
    let arguments = ["--log-level", "debug", "--retries", "1", "--timeout", "5", "--cache-ttl", "0"]
    switch source {
    case .environmentToken:
      let fake = try await FakeCloudflare.start(["--token", Self.token])
      return (fake, try fake.server(arguments, token: Self.token))
    case .environmentKey:
      let fake = try await FakeCloudflare.start(["--email", Self.email, "--key", Self.key])
      let server = try ServerProcess(
        ["--base-url", fake.baseURL] + arguments,
        environment: ["CLOUDFLARE_EMAIL": Self.email, "CLOUDFLARE_API_KEY": Self.key])
      return (fake, server)
    case .initializeToken:
      let fake = try await FakeCloudflare.start(["--token", Self.token])
      let server = try fake.server(arguments, token: nil)
      // Surrounding whitespace is trimmed (contract §1): this is the same token.
      let initialize = await server.call(
        0, "initialize", ["initializationOptions": ["apiToken": .string(" \(Self.token)\r\n")]])
      #expect(initialize?["result"] != nil)
      return (fake, server)
    }
  }

  @Test(arguments: Source.allCases)
  func noCredentialLeavesWhateverUpstreamEchoes(_ source: Source) async throws {
    let (fake, server) = try await start(source)
    // A success whose result quotes the credentials comes back with them redacted.
    try await fake.script(
      [
        [
          "kind": "reply", "status": 200, "headers": Self.echoHeaders,
          "body": [
            "success": true, "errors": [],
            "result": ["meta": ["note": "for <THE TOKEN> / <THE EMAIL>"], "<THE TOKEN>": ["timestamps": []]],
          ],
          "times": 2,
        ]
      ], path: "/radar/netflows/timeseries_groups/PRODUCT")
    let echoed = await server.call(
      "ok", "radar.netflows.timeseriesGroups", ["dimension": "PRODUCT", "dateRange": "7d"])
    let email = source == .environmentKey ? "[redacted]" : ""  // token requests carry no email to echo
    #expect(
      echoed?["result"]?["meta"]?["note"] == .string("for [redacted] / \(email)"), "\(String(describing: echoed))")
    #expect(echoed?["result"]?["[redacted]"] != nil)

    #expect(Self.targets.count > Self.failures.count)
    for (index, failure) in Self.failures.enumerated() {
      let target = Self.targets[index]
      try await fake.script([failure.fault], path: "/radar/\(target.segment)/timeseries_groups/\(target.dimension)")
      let answer = await server.call(
        .string("failure-\(index)"), target.method,
        ["dimension": .string(target.dimension), "dateRange": "7d", "workDoneToken": .string("p\(index)")])
      #expect(answer?["error"]?["code"]?.intValue == failure.code, "\(failure.name): \(String(describing: answer))")
    }

    // A CSV answer that quotes them: the text is redacted too.
    let csv = Self.targets[Self.failures.count]
    try await fake.script(
      [
        [
          "kind": "reply", "status": 200, "headers": Self.echoHeaders, "times": 2,
          "body": "timestamps,<THE TOKEN>\n2026-11-01T00:00:00Z,<THE EMAIL>\n",
        ]
      ], path: "/radar/\(csv.segment)/timeseries_groups/\(csv.dimension)")
    let text = await server.call(
      "csv", csv.method, ["dimension": .string(csv.dimension), "dateRange": "7d", "format": "CSV"])
    #expect(
      text?["result"]?["csv"]?.stringValue?.hasPrefix("timestamps,[redacted]\n2026-11-01T00:00:00Z,") == true,
      "\(String(describing: text))")

    // A subscription whose poll fails with an echo: the radar/update error is redacted too.
    try await fake.script([Self.failures[0].fault], path: "/radar/netflows/timeseries_groups/LOCATION")
    let subscribed = await server.call(
      "sub", "radar.subscribe",
      [
        "method": "radar.netflows.timeseriesGroups", "params": ["dimension": "LOCATION", "dateRange": "2d"],
        "intervalSeconds": 60,
      ])
    #expect(subscribed?["result"]?["subscription"] != nil)
    #expect(await server.waitFor { _ in !server.notifications("radar/update").isEmpty })
    #expect(server.notifications("radar/update").first?["params"]?["error"]?["code"] == -32001)

    _ = await server.call("stats", "server.stats")
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    let stdout = String(decoding: server.stdoutBytes, as: UTF8.self)
    let stderr = server.stderrText
    #expect(stdout.contains("[redacted]"), "the fake echoed nothing: the test would prove nothing")
    #expect(!stderr.isEmpty, "debug logging wrote something")
    for secret in [Self.token, Self.key, Self.email] {
      #expect(!stdout.contains(secret), "\(secret) on standard output")
      #expect(!stderr.contains(secret), "\(secret) on standard error")
    }
  }
}
