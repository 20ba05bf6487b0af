import JSON
import Radar

/// The `server.stats` answer: counters a user can watch (contract §4, plus latency).
struct ServerStats {
  let radar: RadarStats
  /// Requests in flight other than the `server.stats` request itself.
  let inFlight: Int
  let queued: Int
  let subscriptions: Int
  let backend: String
  let uptimeSeconds: Double

  var json: JSONValue {
    [
      "upstream": [
        "requests": .number(JSONNumber(radar.upstreamRequests)),
        "errors": .number(JSONNumber(radar.upstreamErrors)),
        "retries": .number(JSONNumber(radar.retries)),
        "rateLimited": .number(JSONNumber(radar.rateLimited)),
        "inFlight": .number(JSONNumber(radar.upstreamInFlight)),
        "latencyMs": [
          "p50": radar.latencyP50Milliseconds.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) } ?? .null,
          "p99": radar.latencyP99Milliseconds.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) } ?? .null,
        ],
      ],
      "coalesced": .number(JSONNumber(radar.coalesced)),
      "cacheHits": .number(JSONNumber(radar.cacheHits)),
      "cacheMisses": .number(JSONNumber(radar.cacheMisses)),
      "cacheEntries": .number(JSONNumber(radar.cacheEntries)),
      "inFlight": .number(JSONNumber(inFlight)),
      "queued": .number(JSONNumber(queued)),
      "subscriptions": .number(JSONNumber(subscriptions)),
      "backend": .string(backend),
      "uptimeSeconds": .number(JSONNumber((uptimeSeconds * 1000).rounded() / 1000)),
    ]
  }
}
