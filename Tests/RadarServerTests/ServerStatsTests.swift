import JSON
import Testing

@testable import Radar
@testable import RadarServer

/// `server.stats` is written straight to bytes: every member, in order, with its value.
@Suite struct ServerStatsTests {
  @Test func everyMemberWithItsValue() {
    var radar = RadarStats()
    radar.upstreamRequests = 1
    radar.upstreamErrors = 2
    radar.retries = 3
    radar.rateLimited = 4
    radar.rateLimiterWaits = 5
    radar.upstreamInFlight = 6
    radar.latencyP50Milliseconds = 7.0004
    radar.latencyP99Milliseconds = 1234.5678
    radar.coalesced = 8
    radar.memoryHits = 9
    radar.diskHits = 10
    radar.coalescedAcrossProcesses = 11
    radar.cacheMisses = 12
    radar.cacheEntries = 13
    var shared = SharedCacheStats()
    shared.stores = 14
    shared.evictions = 15
    shared.rejected = 16
    shared.storeFailures = 17
    shared.waitsTimedOut = 18
    shared.waiting = 19
    radar.sharedCache = shared
    radar.sharesRateBudget = true
    let stats = ServerStats(
      radar: radar, inFlight: 20, queued: 21, subscriptions: 22, pollers: 23, backend: "live", uptimeSeconds: 24.0006)
    #expect(
      JSONWriter.string(stats.json)
        == #"{"upstream":{"requests":1,"errors":2,"retries":3,"rateLimited":4,"rateLimiterWaits":5,"inFlight":6,"#
        + #""latencyMs":{"p50":7,"p99":1234.568}},"coalesced":8,"cacheHits":19,"memoryHits":9,"diskHits":10,"#
        + #""coalescedAcrossProcesses":11,"cacheMisses":12,"cacheEntries":13,"inFlight":20,"queued":21,"#
        + #""subscriptions":22,"pollers":23,"sharedCache":{"enabled":true,"rateBudget":true,"stores":14,"#
        + #""evictions":15,"rejected":16,"storeFailures":17,"waitsTimedOut":18,"waiting":19},"backend":"live","#
        + #""uptimeSeconds":24.001}"#)
  }

  @Test func beforeAnyCallAndWithoutASharedCache() {
    let stats = ServerStats(
      radar: RadarStats(), inFlight: 0, queued: 0, subscriptions: 0, pollers: 0, backend: "demo\"", uptimeSeconds: 0)
    let value = stats.json
    #expect(value["upstream"]?["latencyMs"] == ["p50": .null, "p99": .null])
    #expect(value["sharedCache"]?["enabled"] == false)
    #expect(value["sharedCache"]?["stores"] == 0)
    #expect(value["backend"] == "demo\"")  // escaped as any string is
    #expect(value["uptimeSeconds"] == 0)
  }

  @Test func integersOfEveryWidth() {
    for value in [0, 9, 10, 99, 100, 12_345, -1, -10, Int.max, Int.min] {
      var radar = RadarStats()
      radar.upstreamRequests = value
      radar.cacheEntries = value
      radar.sharedCache = SharedCacheStats()
      let stats = ServerStats(
        radar: radar, inFlight: value, queued: 0, subscriptions: 0, pollers: 0, backend: "demo", uptimeSeconds: 1)
      let value = JSONValue.number(JSONNumber(value))
      let json = stats.json
      #expect(json["upstream"]?["requests"] == value && json["cacheEntries"] == value && json["inFlight"] == value)
      #expect((try? JSONParser.parse(JSONWriter.bytes(json))) != nil)
    }
  }

  /// Uptime and latencies are written as JSONNumber writes the double rounded to three decimals.
  @Test func numbersAsJSONNumberWritesThem() {
    var values: [Double] = [
      0, 0.0004, 0.0005, 0.001, 0.01, 0.1, 0.5, 1, 7.0004, 24.0006, 1234.5678, 999_999_999.999, 1e9, 1e12, 1e15,
      1e20, -0.0004, -1.5, -1234.5678, .infinity, -.infinity, .nan, .ulpOfOne, .greatestFiniteMagnitude,
    ]
    var generator = SystemRandomNumberGenerator()
    for scale in [1.0, 1e3, 1e6, 1e9] {
      for _ in 0..<500 { values.append(Double.random(in: 0..<scale, using: &generator)) }
    }
    for value in values {
      var radar = RadarStats()
      radar.latencyP50Milliseconds = value
      let stats = ServerStats(
        radar: radar, inFlight: 0, queued: 0, subscriptions: 0, pollers: 0, backend: "demo", uptimeSeconds: value)
      let expected = JSONValue.number(JSONNumber((value * 1000).rounded() / 1000))
      let json = JSONValue.parse(JSONWriter.bytes(stats.json))
      #expect(json["uptimeSeconds"] == expected, "\(value)")
      #expect(json["upstream"]?["latencyMs"]?["p50"] == expected, "\(value)")
    }
  }
}

extension JSONValue {
  fileprivate static func parse(_ bytes: [UInt8]) -> JSONValue {
    (try? JSONParser.parse(bytes)) ?? .null
  }
}
