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

  /// One server fills a fresh cache directory with the answer to `method` `params`, then exits:
  /// the fake it asked, the directory, and that answer.
  private static func filledCache() async throws -> (fake: FakeCloudflare, shared: Shared, result: JSONValue) {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let first = try fake.server(shared.arguments)
    let result = try #require(await first.call(1, method, params)?["result"])
    first.closeInput()
    #expect(await first.waitForExit() == 0)
    return (fake, shared, result)
  }

  @Test func fourProcessesAskingAtOnceMakeOneUpstreamCall() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    try await fake.script([fault("hold")])
    // --timeout 600: the fake holds the leader's call until released, and a ThreadSanitizer run of
    // the whole suite stalled this test ~90 s; a 30 s timeout then retried the held call (2 calls).
    let servers = try (0..<4).map { _ in try fake.server(shared.arguments + ["--timeout", "600"]) }
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
    let (fake, shared, answer) = try await Self.filledCache()
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

  /// A hold the other process can afford (`--rate-limit 1200/60` caps the 3600 s asked at 60 s,
  /// inside the retry budget of `--retries 10`, 80 s) makes it wait, then go. (With a 20 s hold,
  /// ThreadSanitizer runs on a loaded machine stalled past it before the test looked.)
  @Test func aHoldTheOthersCanAffordMakesThemWaitThenGo() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    try await fake.script([fault("status", ["status": 429, "retryAfter": "3600"])])
    let first = try fake.server(shared.arguments + ["--retries", "0", "--rate-limit", "1200/60"])
    let second = try fake.server(shared.arguments + ["--retries", "10"])
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
    let (fake, shared, _) = try await Self.filledCache()
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

  /// Adversary finding 6: a process whose call waits for a slot of a scarce shared budget says so,
  /// and another process that wants the same request waits for it, past its own bound (here 3 s:
  /// `--timeout 3 --retries 0`), instead of giving up and finding the window full (-32003) or
  /// spending a second slot on the same request. The window is 30 s (the leader's `--retries 5`
  /// affords the wait): a loaded ThreadSanitizer run stalled past an 8 s one before the leader asked.
  @Test func aProcessWaitingForARateSlotIsWaitedForByTheOthers() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let leader = try fake.server(shared.arguments + ["--rate-limit", "1/30", "--retries", "5"])
    let waiter = try fake.server(shared.arguments + ["--rate-limit", "1/30", "--timeout", "3", "--retries", "0"])
    // The window's one slot goes to another request; the leader's call waits ~30 s for the next.
    #expect(await leader.call(1, Self.method, ["dimension": "TLD", "dateRange": "7d"])?["result"] != nil)
    leader.request(2, Self.method, Self.params)
    #expect(await waitUntil { await Self.stats(leader)["upstream"]?["rateLimiterWaits"] == 1 })
    // A stall of this test past the 30 s window (seen under ThreadSanitizer) lets the leader finish
    // first: the waiter then reads its result from disk, which still must not cost a second call.
    let leaderDoneFirst = !leader.responses(2).isEmpty
    waiter.request(1, Self.method, Self.params)
    let answer = try #require(await waiter.response(1))
    #expect(answer["result"] != nil, "\(answer)")
    #expect(await leader.response(2)?["result"] == answer["result"])
    #expect(try await fake.total() == 2)
    let stats = await Self.stats(waiter)
    #expect(stats["sharedCache"]?["waitsTimedOut"] == 0)
    if leaderDoneFirst {
      #expect(stats["diskHits"] == 1, "\(stats)")
    } else {
      #expect(stats["coalescedAcrossProcesses"] == 1 || stats["diskHits"] == 1, "\(stats)")
    }
  }

  /// Adversary finding 5, with processes: the fetching process is stopped (SIGSTOP) and holds its
  /// call's lock for good. Another process waits it out once at most (`--timeout 1 --retries 0`: 1 s),
  /// then fetches; asked again (its own call failed, so nothing is cached), it fetches at once, and
  /// so does a process started later.
  @Test func aStoppedFetchingProcessIsWaitedOutOnce() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    try await fake.script([fault("hold"), fault("status", ["status": 400]), fault("status", ["status": 400])])
    let stopped = try fake.server(shared.arguments)
    stopped.request(1, Self.method, Self.params)
    #expect(try await waitUntil { try await fake.total() == 1 })
    stopped.send(signal: SIGSTOP)
    defer {
      stopped.send(signal: SIGKILL)
      stopped.send(signal: SIGCONT)
    }
    let other = try fake.server(shared.arguments + ["--timeout", "1", "--retries", "0"])
    #expect(await other.call(1, Self.method, Self.params)?["error"] != nil)
    #expect(await other.call(2, Self.method, Self.params)?["error"] != nil)
    #expect(try await fake.total() == 3)
    // One wait in all, counted from the stopped holder's lock: `other` waited it out, or (started
    // more than its 1 s after the lock was taken, on a loaded machine) fetched at once.
    let waitedOut = try #require(await Self.stats(other)["sharedCache"]?["waitsTimedOut"]?.intValue)
    #expect(waitedOut <= 1)
    // A process started after that (as patient) does not wait for the stopped one at all
    // (adversary helper-23: each new process paid a whole wait).
    let later = try fake.server(shared.arguments + ["--timeout", "1", "--retries", "0"])
    #expect(await later.call(1, Self.method, Self.params)?["result"] != nil)
    #expect(await Self.stats(later)["sharedCache"]?["waitsTimedOut"] == 0)
    #expect(try await fake.total() == 4)
    try await Self.release(fake)
  }

  /// Adversary finding 12: spellings of one base URL (scheme case, default port, a trailing `/.`)
  /// share one cache and one budget.
  @Test func spellingsOfOneBaseURLShareTheCacheAndTheBudget() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let plain = fake.baseURL
    let spelt = plain.replacingOccurrences(of: "http://", with: "HTTP://") + "/."
    var answers: [JSONValue] = []
    for (n, base) in [plain, spelt].enumerated() {
      let server = try ServerProcess(
        ["--base-url", base, "--framing", "ndjson"] + shared.arguments, framing: .ndjson,
        environment: ["CLOUDFLARE_API_TOKEN": FakeCloudflare.token])
      answers.append(try #require(await server.call(1, Self.method, Self.params)?["result"]))
      // A request of its own: an upstream call, counted in the budget.
      #expect(await server.call(2, Self.method, ["dimension": "TLD", "name": .string("s\(n)")])?["result"] != nil)
    }
    #expect(answers[0] == answers[1])
    #expect(try await fake.total() == 3)
    #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path + "/budgets").count == 1)
  }

  /// Adversary finding 11: `--cache-clear` pointed at a directory that holds no cache leaves it
  /// as it is (it made `store.lock` in it), and says so.
  @Test func cacheClearLeavesADirectoryWithoutACacheAlone() async throws {
    let home = PrivateCacheHome()
    let directory = home.path + "/notes"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
    let clear = try ServerProcess(["--cache-clear", "--cache-dir", directory])
    #expect(await clear.waitForExit() == 0)
    #expect(await waitUntil { clear.outputEnded })
    #expect(clear.stderrText.contains("no shared cache in"), "\(clear.stderrText)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
  }

  /// ... and refuses a cache directory a server would refuse: another user's (as root only: only
  /// root can give a directory away).
  @Test(.enabled(if: geteuid() == 0)) func cacheClearRefusesAnotherUsersDirectory() async throws {
    let (_, shared, _) = try await Self.filledCache()
    #expect(chown(shared.path, 65_534, 65_534) == 0)
    let clear = try ServerProcess(["--cache-clear"] + shared.arguments)
    #expect(await clear.waitForExit() == 1)
    #expect(await waitUntil { clear.outputEnded })
    #expect(clear.stderrText.contains("belongs to another user"), "\(clear.stderrText)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path + "/results").count == 1)
  }

  /// Adversary finding 11: a cache directory that cannot be used is warned about once per process
  /// (the cache and the rate budget each printed it).
  @Test func anUnusableDirectoryIsWarnedAboutOnce() async throws {
    let fake = try await FakeCloudflare.start()
    let home = PrivateCacheHome()
    try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: true)
    let file = home.path + "/a-file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    let server = try fake.server(["--cache-dir", file])
    #expect(await server.call(1, Self.method, Self.params)?["result"] != nil)
    #expect(await server.call(2, Self.method, ["dimension": "TLD", "dateRange": "7d"])?["result"] != nil)
    server.closeInput()
    #expect(await server.waitForExit() == 0)
    #expect(await waitUntil { server.outputEnded })
    #expect(server.stderrText.components(separatedBy: "the shared cache is off").count == 2, "\(server.stderrText)")
  }

  /// Adversary finding 11: the cache directory removed while a server runs (`rm -rf`) is made
  /// again on its next call, and shared again.
  @Test func aRemovedCacheDirectoryIsMadeAgain() async throws {
    let fake = try await FakeCloudflare.start()
    let shared = Shared()
    let first = try fake.server(shared.arguments)
    #expect(await first.call(1, Self.method, Self.params)?["result"] != nil)
    try FileManager.default.removeItem(atPath: shared.path)
    let other: JSONValue = ["dimension": "TLD", "dateRange": "7d"]
    let answer = try #require(await first.call(2, Self.method, other)?["result"])
    let second = try fake.server(shared.arguments)
    #expect(await second.call(1, Self.method, other)?["result"] == answer)
    #expect(try await fake.total() == 2)
    #expect(await Self.stats(first)["sharedCache"]?["storeFailures"] == 0)
  }
}
