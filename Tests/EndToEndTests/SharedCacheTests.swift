import Foundation
import JSON
import TestSupport
import Testing

/// Issue 19 end to end: real `radar-rpc` processes on one `--cache-dir` against the local fake
/// Cloudflare, synchronised on the fake's request log and on each server's `server.stats`
/// (never on sleeps). The fake's `hold` fault keeps a call in flight until the test releases it.
@Suite struct SharedCacheTests {
  private static let params: JSONValue = ["dimension": "CA", "dateRange": "7d"]
  private static let method = "radar.ct.timeseriesGroups"

  /// A cache directory for the servers of one test.
  private struct Shared {
    let home = PrivateCacheHome()
    var path: String { home.path + "/radar-rpc" }
    var arguments: [String] { ["--cache-dir", path] }
  }

  private static func stats(_ server: ServerProcess) async -> JSONValue {
    await server.call(.string(UUID().uuidString), "server.stats")?["result"] ?? .null
  }

  private static func release(_ fake: FakeCloudflare) async throws { try await fake.control("release", [:]) }

  @Test func fourProcessesAskingAtOnceMakeOneUpstreamCall() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    try await fake.script([fault("hold")])
    let servers = try (0..<4).map { _ in try fake.server(shared.arguments) }
    servers[0].request(1, Self.method, Self.params)
    #expect(try await waitUntil { try await fake.total() == 1 })
    for server in servers.dropFirst() { server.request(1, Self.method, Self.params) }
    for server in servers.dropFirst() {
      #expect(await waitUntil { await Self.stats(server)["sharedCache"]?["waiting"] == 1 })
    }
    try await Self.release(fake)
    var results: [JSONValue] = []
    for server in servers { results.append(try #require(await server.response(1)?["result"])) }
    #expect(Set(results).count == 1)
    #expect(try await fake.total() == 1)
    for server in servers.dropFirst() {
      #expect(await Self.stats(server)["coalescedAcrossProcesses"] == 1)
    }
  }

  @Test func aRestartedProcessAnswersACachedRequestWithoutUpstream() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let first = try fake.server(shared.arguments)
    let answer = try #require(await first.call(1, Self.method, Self.params)?["result"])
    first.closeInput()
    #expect(await first.waitForExit() == 0)
    let restarted = try fake.server(shared.arguments)
    #expect(await restarted.call(1, Self.method, Self.params)?["result"] == answer)
    #expect(try await fake.total() == 1)
    var stats = await Self.stats(restarted)
    #expect(stats["diskHits"] == 1 && stats["memoryHits"] == 0 && stats["cacheHits"] == 1)
    // The disk's answer is now in this process's memory too.
    #expect(await restarted.call(2, Self.method, Self.params)?["result"] == answer)
    stats = await Self.stats(restarted)
    #expect(stats["diskHits"] == 1 && stats["memoryHits"] == 1 && stats["cacheHits"] == 2)
    #expect(try await fake.total() == 1)
  }

  /// Without `--cache-dir` the cache is `$XDG_CACHE_HOME/radar-rpc` (every test server gets an
  /// `XDG_CACHE_HOME` of its own, so none reaches the user's real `~/.cache`).
  @Test func byDefaultTheCacheIsInXDGCacheHome() async throws {
    let fake = try await FakeCloudflare.start()
    let home = PrivateCacheHome()
    let servers = try (0..<2).map { _ in
      try ServerProcess(
        ["--base-url", fake.baseURL, "--framing", "ndjson"], framing: .ndjson,
        environment: ["CLOUDFLARE_API_TOKEN": FakeCloudflare.token, "XDG_CACHE_HOME": home.path])
    }
    let answer = try #require(await servers[0].call(1, Self.method, Self.params)?["result"])
    #expect(await servers[1].call(1, Self.method, Self.params)?["result"] == answer)
    #expect(try await fake.total() == 1)
    #expect(await Self.stats(servers[1])["diskHits"] == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: home.path + "/radar-rpc/results").count == 1)
  }

  @Test func fourProcessesSharingATwentyRequestBudgetMakeAtMostTwenty() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    // Ten connections each, so that every call that waits, waits for its slot of the window.
    let servers = try (0..<4).map { _ in
      try fake.server(shared.arguments + ["--rate-limit", "20/3600", "--max-connections", "10"])
    }
    for (s, server) in servers.enumerated() {
      for i in 0..<10 {  // 40 distinct requests: no coalescing, no cache
        server.request(.number(JSONNumber(i)), Self.method, ["dimension": "CA", "name": .string("s\(s)-\(i)")])
      }
    }
    // Twenty calls are answered; the next slot of the shared window is an hour away, more than a
    // call can afford (its retry budget), so the other twenty end at once with -32003 (contract §7).
    func answered(_ server: ServerProcess) -> Int {
      server.messages.filter { $0["id"]?.intValue != nil && $0["result"] != nil }.count
    }
    func heldOff(_ server: ServerProcess) -> Int {
      server.messages.filter { $0["id"]?.intValue != nil && $0["error"]?["code"] == -32003 }.count
    }
    #expect(
      await waitUntil {
        servers.map(answered).reduce(0, +) == 20 && servers.map(heldOff).reduce(0, +) == 20
      })
    #expect(try await fake.total() == 20)
  }

  @Test func killingTheFetchingProcessLetsAWaiterFetchItself() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    try await fake.script([fault("hold")])
    let fetching = try fake.server(shared.arguments)
    let waiting = try fake.server(shared.arguments)
    fetching.request(1, Self.method, Self.params)
    #expect(try await waitUntil { try await fake.total() == 1 })
    waiting.request(1, Self.method, Self.params)
    #expect(await waitUntil { await Self.stats(waiting)["sharedCache"]?["waiting"] == 1 })
    fetching.send(signal: SIGKILL)
    #expect(await waiting.response(1)?["result"]?["meta"] != nil)
    #expect(try await fake.total() == 2)
    #expect(await Self.stats(waiting)["coalescedAcrossProcesses"] == 0)
    try await Self.release(fake)
  }

  @Test func aRetryAfterSeenByOneProcessHoldsBackTheOthers() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    try await fake.script([fault("status", ["status": 429, "retryAfter": "3600"])])
    let first = try fake.server(shared.arguments + ["--retries", "0"])
    #expect(await first.call(1, Self.method, Self.params)?["error"]?["code"] == -32003)
    // Another process, asking something else: Cloudflare blocks the token, so it does not ask.
    let second = try fake.server(shared.arguments)
    let error = try #require(
      await second.call(1, Self.method, ["dimension": "TLD", "dateRange": "7d"])?["error"])
    #expect(error["code"] == -32003)
    // Held for the Retry-After, but at most one window of --rate-limit (by default 300 s).
    let retryAfter = try #require(error["data"]?["retryAfterSeconds"]?.doubleValue)
    #expect(retryAfter > 250 && retryAfter <= 300)
    #expect(try await fake.total() == 1)
  }

  /// A hold the other process can afford (`--rate-limit 1200/20` caps the 3600 s asked at 20 s,
  /// inside the default retry budget of 24 s) makes it wait, then go.
  @Test func aHoldTheOthersCanAffordMakesThemWaitThenGo() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    try await fake.script([fault("status", ["status": 429, "retryAfter": "3600"])])
    let first = try fake.server(shared.arguments + ["--retries", "0", "--rate-limit", "1200/20"])
    let second = try fake.server(shared.arguments)
    #expect(await Self.stats(second)["backend"] == "live")  // up before the 429
    #expect(await first.call(1, Self.method, Self.params)?["error"]?["code"] == -32003)
    second.request(1, Self.method, ["dimension": "TLD", "dateRange": "7d"])
    #expect(await waitUntil { await Self.stats(second)["upstream"]?["rateLimiterWaits"] == 1 })
    #expect(try await fake.total() == 1)  // waiting, not asking
    #expect(await second.response(1)?["result"] != nil)
    #expect(try await fake.total() == 2)
  }

  /// What the directory holds: private to the user, and never the credential.
  @Test func theCacheIsPrivateAndHoldsNoCredential() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let server = try fake.server(shared.arguments)
    #expect(await server.call(1, Self.method, Self.params)?["result"] != nil)
    let files = FileManager.default
    var paths: [String] = []
    for relative in try files.subpathsOfDirectory(atPath: shared.path) {
      let path = shared.path + "/" + relative
      var isDirectory: ObjCBool = false
      _ = files.fileExists(atPath: path, isDirectory: &isDirectory)
      let mode = (try files.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
      #expect(mode == (isDirectory.boolValue ? 0o700 : 0o600), "\(relative)")
      #expect(!relative.contains(FakeCloudflare.token))
      if !isDirectory.boolValue { paths.append(path) }
    }
    #expect((try files.attributesOfItem(atPath: shared.path)[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    #expect(paths.contains { $0.contains("/results/") } && paths.contains { $0.contains("/budgets/") })
    for path in paths {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect(bytes.range(of: Data(FakeCloudflare.token.utf8)) == nil, "\(path)")
    }
  }

  @Test func cacheClearEmptiesTheCache() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let first = try fake.server(shared.arguments)
    #expect(await first.call(1, Self.method, Self.params)?["result"] != nil)
    first.closeInput()
    #expect(await first.waitForExit() == 0)
    let clear = try ServerProcess(["--cache-clear"] + shared.arguments)
    #expect(await clear.waitForExit() == 0)
    #expect(await waitUntil { clear.outputEnded })
    #expect(clear.stderrText.contains("removed 1 cached result"))
    #expect(clear.stdoutBytes.isEmpty)  // frames only, and there are none
    let second = try fake.server(shared.arguments)
    #expect(await second.call(1, Self.method, Self.params)?["result"] != nil)
    #expect(try await fake.total() == 2)
  }

  @Test func theDemoBackendAndNoSharedCacheLeaveNoTrace() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let demo = try ServerProcess.demo(shared.arguments)
    #expect(await demo.call(1, Self.method, Self.params)?["result"] != nil)
    let alone = try (0..<2).map { _ in try fake.server(shared.arguments + ["--no-shared-cache"]) }
    for server in alone {
      #expect(await server.call(1, Self.method, Self.params)?["result"] != nil)
      #expect(await Self.stats(server)["sharedCache"]?["enabled"] == false)
    }
    #expect(try await fake.total() == 2)
    #expect(!FileManager.default.fileExists(atPath: shared.path))
  }
}
