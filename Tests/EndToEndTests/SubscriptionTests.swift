import Foundation
import JSON
import TestSupport
import Testing

/// `radar.subscribe` / `radar/update` against the fake, whose data changes on demand (contract §6).
@Suite struct SubscriptionTests {
  static let request: JSONValue = [
    "method": "radar.ct.timeseriesGroups", "params": ["dimension": "CA", "dateRange": "7d"], "intervalSeconds": 1,
  ]

  static func updates(_ server: ServerProcess, _ id: JSONValue) -> [JSONValue] {
    server.notifications("radar/update").filter { $0["params"]?["subscription"] == id }
  }

  static func subscribe(_ server: ServerProcess, _ requestID: JSONValue, _ params: JSONValue = request) async throws
    -> JSONValue
  {
    let response = try #require(await server.call(requestID, "radar.subscribe", params))
    return try #require(response["result"]?["subscription"], "\(response)")
  }

  @Test func firstUpdateAtOnceThenOnlyOnChangeUntilUnsubscribed() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server()
    let id = try await Self.subscribe(server, 1)
    #expect(await server.waitFor { _ in Self.updates(server, id).count == 1 })
    let first = try #require(Self.updates(server, id).first?["params"]?["result"])
    #expect(first["meta"] != nil)
    // The subscribe response comes before the first update.
    #expect(
      server.messages.firstIndex { $0["id"] == 1 }! < server.messages.firstIndex { $0["method"] == "radar/update" }!)

    // Polls go on (at least two more), but the same data sends nothing.
    let polled = try await fake.total()
    #expect(await Self.waitForPolls(fake, atLeast: polled + 2))
    #expect(Self.updates(server, id).count == 1)

    try await fake.bumpVersion()
    #expect(await server.waitFor { _ in Self.updates(server, id).count == 2 })
    let second = try #require(Self.updates(server, id).last?["params"]?["result"])
    #expect(second != first)

    // That the poller stops with its last subscriber is SubscriptionHubTests' (no clock to wait on here).
    #expect(await server.call(2, "radar.unsubscribe", ["subscription": id])?["result"] == true)
    #expect(await server.call(3, "radar.unsubscribe", ["subscription": id])?.errorCode == -32602)
    #expect(await server.call(4, "server.stats")?["result"]?["subscriptions"] == 0)
  }

  static func waitForPolls(_ fake: FakeCloudflare, atLeast n: Int) async -> Bool {
    await waitUntil { (try? await fake.total()).map { $0 >= n } ?? false }
  }

  /// Two identical subscriptions both get every update (that they share one poller is
  /// SubscriptionHubTests', where the clock is the test's).
  @Test func identicalSubscriptionsShareOnePoll() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server()
    let a = try await Self.subscribe(server, 1)
    let b = try await Self.subscribe(server, 2)
    #expect(a != b)
    #expect(await server.waitFor { _ in Self.updates(server, a).count == 1 && Self.updates(server, b).count == 1 })
    try await fake.bumpVersion()
    #expect(await server.waitFor { _ in Self.updates(server, a).count == 2 && Self.updates(server, b).count == 2 })
    #expect(await server.call(3, "server.stats")?["result"]?["subscriptions"] == 2)
  }

  /// A failed poll sends an update with the error; the subscription goes on and reports the recovery.
  @Test func failedPollThenRecovery() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--retries", "0"])
    let id = try await Self.subscribe(server, 1)
    #expect(await server.waitFor { _ in Self.updates(server, id).count == 1 })
    try await fake.script([["kind": "status", "status": 400, "errors": [["code": 2001, "message": "scripted"]]]])
    #expect(await server.waitFor { _ in Self.updates(server, id).count == 3 })
    let updates = Self.updates(server, id).map { $0["params"]! }
    #expect(updates[1]["result"] == nil)
    #expect(updates[1]["error"]?["code"] == -32001)
    #expect(updates[1]["error"]?["data"]?["httpStatus"] == 400)
    #expect(updates[2]["result"] == updates[0]["result"], "the recovery resends the result")
  }

  @Test(arguments: [true, false])
  func shutdownOrEndOfInputExitsPromptly(_ viaShutdown: Bool) async throws {
    let server = try ServerProcess.demo(["--demo-latency", "100"])
    var params = Self.request.objectValue!
    params["intervalSeconds"] = 60
    let id = try await Self.subscribe(server, 1, .object(params))
    #expect(await server.waitFor { _ in Self.updates(server, id).count == 1 })
    let start = ContinuousClock.now
    if viaShutdown {
      #expect(await server.call(2, "shutdown")?["result"] == .null)
      server.notify("exit")
    } else {
      server.closeInput()
    }
    #expect(await server.waitForExit() == 0)
    #expect(ContinuousClock.now - start < .seconds(30))  // the next poll is 60 s away
  }

  @Test func subscriptionLimit() async throws {
    let server = try ServerProcess.demo(["--max-subscriptions", "1"])
    _ = try await Self.subscribe(server, 1)
    var other = Self.request.objectValue!
    other["intervalSeconds"] = 2
    let error = await server.call(2, "radar.subscribe", .object(other))?["error"]
    #expect(error?["code"] == -32006)
  }
}
