import JSON
import Radar
import SystemSupport

/// What `RadarClient.fetch` itself costs against a backend that answers at once: a cache hit,
/// a miss through a new flight, and bursts of identical callers that coalesce.
func clientBenchmark() async {
  let backend = InstantBackend()
  let request = RadarRequest(
    method: "radar.ct.timeseriesGroups", pathTemplate: "/radar/ct/timeseries_groups/{dimension}",
    path: "/radar/ct/timeseries_groups/CA", queryItems: [QueryItem("dateRange", "7d")])
  let uncached = RadarClientConfiguration(cacheTTL: .zero, rateLimit: RateLimit(requests: 1_000_000, per: .seconds(1)))

  let cached = RadarClient(backend: backend)
  _ = try? await cached.fetch(request)
  await measureAsync("client: cache hit", iterations: 20_000) { _ = try? await cached.fetch(request) }

  let client = RadarClient(backend: backend, configuration: uncached)
  await measureAsync("client: miss through a new flight (instant backend)", iterations: 5_000) {
    _ = try? await client.fetch(request)
  }

  let before = backend.calls
  let callers = 100
  await measureAsync("client: burst of \(callers) identical callers, per burst", iterations: 100) {
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<callers { group.addTask { _ = try? await client.fetch(request) } }
    }
  }
  let bursts = 10 + 5 * 100  // the warm-up and 5 batches measureAsync runs
  report("client: \(backend.calls - before) backend calls for \(bursts * callers) burst callers")
}

/// A backend that answers every request at once with the same small result.
private final class InstantBackend: RadarBackend, Sendable {
  let name = "instant"
  private let count = Locked(0)
  var calls: Int { count.withLock { $0 } }
  func fetch(_ request: RadarRequest) async throws -> RadarResult {
    count.withLock { $0 += 1 }
    return RadarResult(value: ["meta": ["normalization": "PERCENTAGE"], "serie_0": ["timestamps": []]], byteCount: 64)
  }
}
