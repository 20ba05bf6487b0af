import Foundation
import JSON
import TestSupport
import Testing

/// Issue 17: `server.stats` and a Radar call answered from this process's memory cache are answered
/// on the reader thread, with what the normal path would answer, while a slow call is in flight.
/// The fake's `hold` fault keeps that call in flight until the test releases it (no timing).
@Suite struct AnsweredAtOnceTests {
  private static let method = "radar.ct.timeseriesGroups"
  private static let cached: JSONValue = ["dimension": "CA", "dateRange": "7d"]
  private static let slow: JSONValue = ["dimension": "TLD", "dateRange": "7d"]

  /// With `--max-in-flight 1` the held call has the only slot: a cache hit or `server.stats` that
  /// waited for one would not be answered before the release, so the test fails if they are not
  /// answered at once.
  @Test func aCacheHitAndStatsWhileASlowCallHoldsTheOnlySlot() async throws {
    let fake = try await FakeCloudflare.start()
    let server = try fake.server(["--max-in-flight", "1", "--no-shared-cache", "--timeout", "600"])
    let first = try #require(await server.call(1, Self.method, Self.cached)?["result"])
    // A memory hit asked with a work-done token goes the normal way: `begin` and `end` first.
    let withToken: JSONValue = ["dimension": "CA", "dateRange": "7d", "workDoneToken": "w-1"]
    #expect(await server.call("token", Self.method, withToken)?["result"] == first)
    #expect(server.notifications("$/progress").map(\.progressKind) == ["begin", "end"])
    try await fake.script([fault("hold")], path: "/radar/ct/timeseries_groups/TLD")
    server.request("slow", Self.method, Self.slow)
    #expect(try await waitUntil { try await fake.total() == 2 })
    // The same bytes again: a memory hit, the same answer.
    #expect(await server.call(2, Self.method, Self.cached)?["result"] == first)
    // The same request in other bytes is not known by its bytes: it goes the normal way, and so
    // waits for the slot.
    let reordered: JSONValue = ["dateRange": "7d", "dimension": "CA"]
    server.request(3, Self.method, reordered)
    #expect(
      await waitUntil { await server.call(.string(UUID().uuidString), "server.stats")?["result"]?["queued"] == 1 })
    let stats = try #require(await server.call(4, "server.stats")?["result"])
    #expect(stats["inFlight"] == 1, "the held call; not the stats request itself")
    #expect(stats["queued"] == 1)
    #expect(stats["upstream"]?["requests"] == 2)
    #expect(stats["upstream"]?["inFlight"] == 1)
    #expect(stats["memoryHits"] == 2)
    #expect(stats["cacheHits"] == 2)
    #expect(stats["cacheMisses"] == 2)
    #expect(stats["coalesced"] == 0)
    #expect(server.responses("slow").isEmpty && server.responses(3).isEmpty)
    try await fake.control("release", [:])
    #expect(await server.response("slow")?["result"] != nil)
    #expect(await server.response(3)?["result"] == first)
    let after = try #require(await server.call(5, "server.stats")?["result"])
    #expect(after["inFlight"] == 0)
    #expect(after["upstream"]?["inFlight"] == 0)
    #expect(after["memoryHits"] == 3)
    #expect(after["cacheEntries"] == 2)
    #expect(try await fake.total() == 2)
  }

  /// What is not a memory hit goes the normal way and is answered the same: a miss of the same
  /// method, params that fail, progress tokens, and a duplicate id in flight.
  @Test func theRestGoesTheNormalWay() async throws {
    let server = try ServerProcess.demo(["--demo-latency", "600000", "--cache-ttl", "3600"])
    server.request("slow", Self.method, Self.slow)
    #expect(
      await waitUntil { await server.call(.string(UUID().uuidString), "server.stats")?["result"]?["inFlight"] == 1 })
    // A duplicate of the id in flight: -32600, whatever the method.
    server.request("slow", "server.stats")
    #expect(await server.waitFor { _ in server.responses("slow").count == 1 })
    #expect(server.responses("slow").first?.errorCode == -32600)
    // Invalid params of `server.stats` and of a Radar method: -32602 as before.
    #expect(await server.call(1, "server.stats", ["x": 1])?.errorCode == -32602)
    #expect(await server.call(2, Self.method, ["dimension": "CA", "format": "X"])?.errorCode == -32602)
    // `server.stats` takes no params, not even a progress token: -32602 as before.
    #expect(await server.call(3, "server.stats", ["workDoneToken": "w-3"])?.errorCode == -32602)
    server.notify("$/cancelRequest", ["id": "slow"])
    #expect(await server.waitFor { _ in server.responses("slow").count == 2 })
    #expect(server.responses("slow").last?.errorCode == -32800)
  }
}
