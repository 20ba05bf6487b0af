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

  @Test func exitWithoutShutdownIsOne() async throws {
    let server = try ServerProcess.demo()
    #expect(await server.call(1, "server.stats")?["result"] != nil)
    server.notify("exit")
    #expect(await server.waitForExit() == 1)
  }

  @Test func radarMethodsWorkWithoutInitialize() async throws {
    let server = try ServerProcess.demo()
    let response = await server.call(1, "radar.netflows.timeseriesGroups", ["dimension": "PRODUCT", "dateRange": "1d"])
    #expect(response?["result"]?["meta"] != nil)
  }

  /// End of input: every request read before it is answered, exactly once, then exit 0.
  @Test func endOfInputDrainsRequestsInFlight() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "300"])
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
      #expect(answers.count == 1, "request \(i) answered \(answers.count) times")
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
}
