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

  /// Written straight to bytes, member by member (this is the benchmark's "cheap request": a tree
  /// of ``JSONValue``s cost more to build, write and free than everything else the call does).
  var json: JSONValue {
    var writer = JSONStreamWriter(capacity: 768)
    func int(_ key: String, _ n: Int, _ writer: inout JSONStreamWriter) {
      writer.key(key)
      writer.value(.number(JSONNumber(n)))
    }
    func milliseconds(_ key: String, _ value: Double?, _ writer: inout JSONStreamWriter) {
      writer.key(key)
      writer.value(value.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) } ?? .null)
    }
    writer.beginObject()
    writer.key("upstream")
    writer.beginObject()
    int("requests", radar.upstreamRequests, &writer)
    int("errors", radar.upstreamErrors, &writer)
    int("retries", radar.retries, &writer)
    int("rateLimited", radar.rateLimited, &writer)
    int("rateLimiterWaits", radar.rateLimiterWaits, &writer)
    int("inFlight", radar.upstreamInFlight, &writer)
    writer.key("latencyMs")
    writer.beginObject()
    milliseconds("p50", radar.latencyP50Milliseconds, &writer)
    milliseconds("p99", radar.latencyP99Milliseconds, &writer)
    writer.endObject()
    writer.endObject()
    int("coalesced", radar.coalesced, &writer)
    int("cacheHits", radar.cacheHits, &writer)
    int("memoryHits", radar.memoryHits, &writer)
    int("diskHits", radar.diskHits, &writer)
    int("coalescedAcrossProcesses", radar.coalescedAcrossProcesses, &writer)
    int("cacheMisses", radar.cacheMisses, &writer)
    int("cacheEntries", radar.cacheEntries, &writer)
    int("inFlight", inFlight, &writer)
    int("queued", queued, &writer)
    int("subscriptions", subscriptions, &writer)
    int("pollers", pollers, &writer)
    let shared = radar.sharedCache
    writer.key("sharedCache")
    writer.beginObject()
    writer.key("enabled")
    writer.value(.bool(shared != nil))
    writer.key("rateBudget")
    writer.value(.bool(radar.sharesRateBudget))
    int("stores", shared?.stores ?? 0, &writer)
    int("evictions", shared?.evictions ?? 0, &writer)
    int("rejected", shared?.rejected ?? 0, &writer)
    int("storeFailures", shared?.storeFailures ?? 0, &writer)
    int("waitsTimedOut", shared?.waitsTimedOut ?? 0, &writer)
    int("waiting", shared?.waiting ?? 0, &writer)
    writer.endObject()
    writer.key("backend")
    writer.string(backend)
    writer.key("uptimeSeconds")
    writer.value(.number(JSONNumber((uptimeSeconds * 1000).rounded() / 1000)))
    writer.endObject()
    return .encoded(writer.finish())
  }
}
