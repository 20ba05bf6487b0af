import JSON
import Radar

/// The `server.stats` answer: counters a user can watch (contract §4, plus latency).
struct ServerStats {
  let radar: RadarStats
  /// Requests in flight other than the `server.stats` request itself.
  let inFlight: Int
  let queued: Int
  let subscriptions: Int
  /// Pollers running for those subscriptions (identical subscriptions share one).
  let pollers: Int
  let backend: String
  let uptimeSeconds: Double

  /// Built member by member rather than from literals: this is the benchmark's "cheap request",
  /// and literals go through a variadic array of tuples.
  var json: JSONValue {
    func int(_ n: Int) -> JSONValue { .number(JSONNumber(n)) }
    func milliseconds(_ value: Double?) -> JSONValue {
      value.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) } ?? .null
    }
    let latency = JSONObject(uniqueMembers: [
      .init("p50", milliseconds(radar.latencyP50Milliseconds)),
      .init("p99", milliseconds(radar.latencyP99Milliseconds)),
    ])
    let upstream = JSONObject(uniqueMembers: [
      .init("requests", int(radar.upstreamRequests)),
      .init("errors", int(radar.upstreamErrors)),
      .init("retries", int(radar.retries)),
      .init("rateLimited", int(radar.rateLimited)),
      .init("rateLimiterWaits", int(radar.rateLimiterWaits)),
      .init("inFlight", int(radar.upstreamInFlight)),
      .init("latencyMs", .object(latency)),
    ])
    let shared = radar.sharedCache
    let sharedCache = JSONObject(uniqueMembers: [
      .init("enabled", .bool(shared != nil)),
      .init("rateBudget", .bool(radar.sharesRateBudget)),
      .init("stores", int(shared?.stores ?? 0)),
      .init("evictions", int(shared?.evictions ?? 0)),
      .init("rejected", int(shared?.rejected ?? 0)),
      .init("storeFailures", int(shared?.storeFailures ?? 0)),
      .init("waitsTimedOut", int(shared?.waitsTimedOut ?? 0)),
      .init("waiting", int(shared?.waiting ?? 0)),
    ])
    return .object(
      JSONObject(uniqueMembers: [
        .init("upstream", .object(upstream)),
        .init("coalesced", int(radar.coalesced)),
        .init("cacheHits", int(radar.cacheHits)),
        .init("memoryHits", int(radar.memoryHits)),
        .init("diskHits", int(radar.diskHits)),
        .init("coalescedAcrossProcesses", int(radar.coalescedAcrossProcesses)),
        .init("cacheMisses", int(radar.cacheMisses)),
        .init("cacheEntries", int(radar.cacheEntries)),
        .init("inFlight", int(inFlight)),
        .init("queued", int(queued)),
        .init("subscriptions", int(subscriptions)),
        .init("pollers", int(pollers)),
        .init("sharedCache", .object(sharedCache)),
        .init("backend", .string(backend)),
        .init("uptimeSeconds", .number(JSONNumber((uptimeSeconds * 1000).rounded() / 1000))),
      ]))
  }
}
