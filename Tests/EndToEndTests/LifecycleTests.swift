import Foundation
import JSON
import TestSupport
import Testing

/// `initialize`, `shutdown`, `exit` and end of input, as a spawning client sees them (contract §4, §3).
@Suite struct LifecycleTests {
  static let radarMethods = [
    "radar.ct.timeseriesGroups", "radar.leakedCredentialChecks.timeseriesGroups", "radar.netflows.timeseriesGroups",
  ]

  @Test func initializeDescribesTheServer() async throws {
    let server = try ServerProcess.demo(framing: .lsp)
    let response = try #require(await server.call(1, "initialize", ["processId": nil, "capabilities": [:]]))
    let result = try #require(response["result"])
    #expect(result["serverInfo"]?["name"] == "radar-rpc")
    #expect(result["serverInfo"]?["version"]?.stringValue?.isEmpty == false)
    #expect(result["backend"] == "demo")
    let capabilities = try #require(result["capabilities"])
    #expect(capabilities["partialResults"] == true)
    #expect(capabilities["workDoneProgress"] == true)
    #expect(capabilities["subscriptions"] == true)
    // The same members again under LSP's `experimental`, where typed clients keep them (contract §4).
    let experimental = try #require(capabilities["experimental"])
    for member in ["methods", "partialResults", "workDoneProgress", "subscriptions"] {
      #expect(experimental[member] == capabilities[member], "\(member)")
    }
    #expect(experimental["backend"] == "demo")
    let methods = Set(capabilities["methods"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    let expected: Set<String> = Set(Self.radarMethods).union([
      "initialize", "initialized", "shutdown", "exit", "$/cancelRequest", "rpc.discover", "server.stats",
      "radar.subscribe", "radar.unsubscribe",
    ])
    #expect(expected.isSubset(of: methods), "missing: \(expected.subtracting(methods))")
    server.notify("initialized", [:])
    server.request(2, "shutdown")
    server.notify("exit")
    #expect(await server.waitForExit() == 0)
  }

  @Test func liveBackendIsReportedWithoutCredentials() async throws {
    let server = try ServerProcess([], framing: .ndjson)
    let response = try #require(await server.call(1, "initialize", [:]))
    #expect(response["result"]?["backend"] == "live")
  }

  @Test func requestsAfterShutdownAreInvalidAndExitIsZero() async throws {
    let server = try ServerProcess.demo()
    #expect(await server.call(1, "shutdown")?["result"] == .null)
    #expect(await server.call(2, "server.stats")?.errorCode == -32600)
    #expect(await server.call(3, "radar.ct.timeseriesGroups", ["dimension": "CA"])?.errorCode == -32600)
    server.notify("exit")
    #expect(await server.waitForExit() == 0)
    #expect(server.responses(2).count == 1)
  }

  /// Contract §4: after `shutdown` every request is -32600, the notifications sent with an id
  /// included (before it they are answered `null`).
  @Test func notificationsSentWithAnIDAfterShutdownAreInvalid() async throws {
    let server = try ServerProcess.demo()
    #expect(await server.call(1, "shutdown")?["result"] == .null)
    server.sendRaw(#"{"jsonrpc":"2.0","id":5,"method":"$/cancelRequest","params":{"id":1}}"# + "\n")
    #expect(await server.call(6, "initialized", [:])?.errorCode == -32600)
    #expect(await server.call(7, "window/workDoneProgress/cancel", ["token": 1])?.errorCode == -32600)
    #expect(server.responses(5).map(\.errorCode) == [-32600])
    server.notify("exit")
    #expect(await server.waitForExit() == 0)
  }

  @Test func exitWithoutShutdownIsOne() async throws {
    let server = try ServerProcess.demo()
    #expect(await server.call(1, "server.stats")?["result"] != nil)
    server.notify("exit")
    #expect(await server.waitForExit() == 1)
  }

  /// `initialized` sent with an id (a client's slip) is the notification, answered `null`; the
  /// server goes on.
  @Test func initializedSentWithAnIDIsAnsweredNull() async throws {
    let server = try ServerProcess.demo()
    #expect(await server.call(1, "initialize", ["capabilities": [:]])?["result"] != nil)
    let answer = await server.call(2, "initialized", [:])
    #expect(answer?["result"] == .null && answer?["error"] == nil, "\(String(describing: answer))")
    #expect(await server.call(3, "server.stats")?["result"] != nil)
  }

  @Test func radarMethodsWorkWithoutInitialize() async throws {
    let server = try ServerProcess.demo()
    let response = await server.call(1, "radar.netflows.timeseriesGroups", ["dimension": "PRODUCT", "dateRange": "1d"])
    #expect(response?["result"]?["meta"] != nil)
  }

  /// End of input: every request read before it is answered, exactly once, then exit 0.
  @Test func endOfInputDrainsRequestsInFlight() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "300", "--log-level", "info"])
    let count = 12
    for i in 0..<count {
      // Different dimensions and ranges: distinct upstream calls, all still waiting when input ends.
      let dimension = ["CA", "TLD", "LOG", "DURATION"][i % 4]
      server.request(
        .number(JSONNumber(i)), "radar.ct.timeseriesGroups",
        ["dimension": .string(dimension), "dateRange": .string("\(i + 1)d")])
    }
    server.request("stats", "server.stats")
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    for i in 0..<count {
      let answers = server.responses(.number(JSONNumber(i)))
      #expect(
        answers.count == 1,
        "request \(i) answered \(answers.count) times; output ended: \(server.outputEnded); \(server.stderrText)")
      #expect(answers.first?["result"]?["meta"] != nil, "request \(i): \(String(describing: answers.first))")
    }
    #expect(server.responses("stats").count == 1)
    #expect(server.parseFailures.isEmpty)
  }

  /// A drain deadline shorter than the work: the rest is answered -32802, never dropped.
  @Test func drainTimeoutAnswersWhatIsLeft() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "3600000", "--drain-timeout", "0.2"])
    server.request(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d"])
    server.closeInput()
    let start = ContinuousClock.now
    // Generous (a loaded machine), and still far below the hour the call would take.
    let bound = defaultTimeout * 5
    #expect(await server.waitForExit(timeout: bound) == 0)
    #expect(ContinuousClock.now - start < bound)
    #expect(server.responses(1).map(\.errorCode) == [-32802])
  }

  // MARK: - shutdown, exit, signals (contract §4)

  /// What this machine adds to the contract's exit bounds right now: the contract's 0.5 s is the
  /// server's own margin, while a test on a loaded CI machine also waits for its own and the
  /// server's threads to be scheduled. Four times the slowest of three `server.stats` round trips
  /// (about 1 ms each on an idle machine) — a shutdown wait of 20 s still stands far out.
  static func schedulingSlack(_ server: ServerProcess) async -> Duration {
    var slowest = Duration.zero
    for k in 0..<3 {
      let start = ContinuousClock.now
      _ = await server.call(.string("rtt\(k)"), "server.stats")
      slowest = max(slowest, ContinuousClock.now - start)
    }
    return slowest * 4
  }

  /// ThreadSanitizer sleeps a second in every instrumented process before it exits (its
  /// `atexit_sleep_ms`); the tests that time an exit against the contract turn that off.
  static var promptExitUnderThreadSanitizer: [String: String] {
    let options = ProcessInfo.processInfo.environment["TSAN_OPTIONS"].map { $0 + ":" } ?? ""
    return ["TSAN_OPTIONS": options + "atexit_sleep_ms=0"]
  }

  /// A call 20 s from done is in flight; the client sends `shutdown`, waits for its answer and
  /// sends `exit`. The call is answered -32802 before `shutdown`'s `null`, and the process is gone
  /// within `--shutdown-grace` (default 2 s) + 0.5 s of `shutdown` — the contract's bound, far
  /// from the 20 s it tells apart. The call and `shutdown` go out in one write: the server reads
  /// (and admits) the call first, so it is in flight however slowly this test runs.
  @Test(arguments: [ServerProcess.Framing.lsp, .ndjson])
  func shutdownWithACallInFlightThenExit(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess(
      ["--demo", "--demo-latency", "20000"], framing: framing, environment: Self.promptExitUnderThreadSanitizer)
    let slack = await Self.schedulingSlack(server)
    let call: JSONValue = [
      "jsonrpc": "2.0", "id": 1, "method": "radar.ct.timeseriesGroups",
      "params": ["dimension": "CA", "dateRange": "1d", "workDoneToken": "w"],
    ]
    let sent = ContinuousClock.now
    server.sendRaw(server.frame(call) + server.frame(["jsonrpc": "2.0", "id": 2, "method": "shutdown"]))
    #expect(await server.response(2)?["result"] == .null)
    server.notify("exit")
    let code = await server.waitForExit()
    let elapsed = ContinuousClock.now - sent
    #expect(code == 0)
    #expect(elapsed < .milliseconds(2500) + slack, "exited \(elapsed) after shutdown (slack \(slack))")
    let order = server.messages.filter { $0["id"]?.stringValue?.hasPrefix("rtt") != true }
      .map { $0["params"]?["value"]?["kind"]?.stringValue ?? "\($0["id"] ?? "?")" }
    // The call's progress, if it got as far as `begin`, ends before its answer.
    #expect(order == ["begin", "end", "1", "2"] || order == ["1", "2"], "\(order)")
    #expect(server.responses(1).first?.errorCode == -32802)
  }

  /// `../shared/cases/wire/double-shutdown.ndjson`: the second `shutdown` is -32600.
  @Test(arguments: [ServerProcess.Framing.lsp, .ndjson])
  func doubleShutdown(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    server.request(1, "shutdown")
    server.request(2, "shutdown")
    server.notify("exit")
    #expect(await server.waitForExit() == 0)
    #expect(server.responses(1).map { $0["result"] } == [.null])
    #expect(server.responses(2).map(\.errorCode) == [-32600])
  }

  /// `../shared/cases/wire/batch-with-exit-inside.ndjson`: the batch's requests are answered (one
  /// array), then the process exits (1: no `shutdown` came).
  @Test(arguments: [ServerProcess.Framing.lsp, .ndjson])
  func batchWithExitInside(_ framing: ServerProcess.Framing) async throws {
    let server = try ServerProcess.demo(framing: framing)
    server.send([
      ["jsonrpc": "2.0", "id": 1, "method": "server.stats"], ["jsonrpc": "2.0", "method": "exit"],
      ["jsonrpc": "2.0", "id": 2, "method": "server.stats"],
    ])
    #expect(await server.waitForExit() == 1)
    let batch = server.messages.first?.arrayValue ?? []
    #expect(server.messages.count == 1)
    #expect(Set(batch.compactMap { $0["id"]?.intValue }) == [1, 2])
    #expect(batch.allSatisfy { $0["result"]?["upstream"] != nil })
  }

  /// `../shared/cases/wire/exit-as-request.ndjson`: `exit` with an id is `exit`, answered `null`;
  /// after `shutdown` too (no -32600 for it).
  @Test(arguments: [false, true])
  func exitWithAnId(afterShutdown: Bool) async throws {
    let server = try ServerProcess.demo()
    if afterShutdown { #expect(await server.call(1, "shutdown")?["result"] == .null) }
    server.sendRaw(#"{"jsonrpc": "2.0", "id": 9, "method": "exit"}"# + "\n")
    #expect(await server.waitForExit() == (afterShutdown ? 0 : 1))
    #expect(server.responses(9).map { $0["result"] } == [.null])
  }

  /// `exit` without `shutdown` does not wait for calls in flight: they are answered -32802 and the
  /// process exits 1 at once (LSP: `exit` means exit).
  @Test func exitWithoutShutdownAnswersCallsInFlight() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "600000"])
    server.request(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d"])
    #expect(await server.call(2, "server.stats")?["result"]?["inFlight"] == 1)
    server.notify("exit")
    #expect(await server.waitForExit() == 1)
    #expect(server.responses(1).map(\.errorCode) == [-32802])
  }

  /// SIGTERM, SIGINT, SIGHUP: the request in flight is answered -32802, the output holds whole
  /// frames only, and the process exits 128 + the signal's number within a second (the contract's
  /// bound; the test allows 0.5 s more for noticing the exit).
  @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
  func signalAnswersRequestsInFlightAndExits(_ signal: Int32) async throws {
    let server = try ServerProcess(
      ["--demo", "--demo-latency", "600000"], framing: .lsp, environment: Self.promptExitUnderThreadSanitizer)
    server.request(1, "radar.ct.timeseriesGroups", ["dimension": "CA", "dateRange": "1d", "workDoneToken": "s"])
    #expect(await server.waitFor { _ in server.notifications("$/progress").count == 1 })
    let slack = await Self.schedulingSlack(server)
    let sent = ContinuousClock.now
    server.send(signal: signal)
    let code = await server.waitForExit()
    #expect(ContinuousClock.now - sent < .milliseconds(1500) + slack, "slack \(slack)")
    #expect(code == 128 + signal)
    #expect(server.parseFailures.isEmpty)
    #expect(
      server.messages.filter { $0["id"]?.stringValue?.hasPrefix("rtt") != true }
        .map { $0["params"]?["value"]?["kind"]?.stringValue ?? "response" } == [
          "begin", "end", "response",
        ])
    #expect(server.responses(1).first?.errorCode == -32802)
  }

  // MARK: - initialize: a barrier, and the credentials warning (contract §4)

  /// `../shared/cases/wire/initialize-token-then-call.ndjson`, live, no token in the environment:
  /// the call piped right behind `initialize` carries its token (the stress test repeats this 500
  /// times); and no "no Cloudflare credentials" warning is printed.
  @Test func initializeTokenThenCall() async throws {
    let fake = try await FakeCloudflare.start([])
    let server = try fake.server(token: nil)
    server.sendRaw(
      #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"initializationOptions":{"apiToken":"tok-INIT-1"}}}"#
        + "\n"
        + #"{"jsonrpc":"2.0","id":2,"method":"radar.ct.timeseriesGroups","params":{"dimension":"CA","dateRange":"1d","aggInterval":"1d"}}"#
        + "\n")
    #expect(await server.response(2)?["result"]?["meta"] != nil)
    let sent = try await fake.requests().last
    #expect(sent?["headers"]?["authorization"] == "Bearer tok-INIT-1")
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    #expect(!server.stderrText.contains("no Cloudflare credentials"), "\(server.stderrText)")
    #expect(!server.stderrText.contains("tok-INIT-1"))
  }

  /// The warning comes once, and only once it is true: after an `initialize` without a token, or
  /// at the first Radar call without one; never at start-up.
  @Test(arguments: ["nothing", "initialize", "call"])
  func missingCredentialsWarning(_ first: String) async throws {
    let server = try ServerProcess([], framing: .ndjson)  // live, no credentials
    switch first {
    case "initialize": _ = await server.call(1, "initialize", [:])
    case "call":
      for id in 1...2 {
        _ = await server.call(.number(JSONNumber(id)), "radar.ct.timeseriesGroups", ["dimension": "CA"])
      }
    default: _ = await server.call(1, "server.stats")
    }
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    let warnings = server.stderrText.split(separator: "\n").filter { $0.contains("no Cloudflare credentials") }
    #expect(warnings.count == (first == "nothing" ? 0 : 1), "\(server.stderrText)")
  }

  /// Contract §7: text from outside is escaped in log lines, one event per line.
  @Test func logLinesEscapeTextFromOutside() async throws {
    let server = try ServerProcess.demo(["--log-level", "info"])
    server.notify("evil\nradar-rpc error: forged\u{1B}[31m")
    #expect(await server.call(1, "server.stats")?["result"] != nil)
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    let lines = server.stderrText.split(separator: "\n")
    #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("radar-rpc ") }, "\(lines)")
    #expect(!server.stderrText.contains("\u{1B}"))
    #expect(lines.contains { $0.contains(#"evil\nradar-rpc error: forged\u{1B}[31m"#) })
  }
}
