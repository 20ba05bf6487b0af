import Foundation
import JSON
import Radar

/// The demo backend's budget: a 1-week, 15-minute, 3-series answer (672 points per series) in
/// under 2 ms, uncached. Measured on the synchronous path (no simulated latency), with and
/// without writing the JSON bytes, for a CT and a NetFlows request, and as CSV.
func demoBenchmark() async {
  let now = Date(timeIntervalSince1970: 1_794_825_432)  // 2026-11-16T10:37:12Z
  let backend = DemoBackend(now: { now })
  func request(_ endpoint: String, _ dimension: String, _ items: [(String, String)]) -> RadarRequest {
    let template = "/radar/\(endpoint)/timeseries_groups/{dimension}"
    return RadarRequest(
      method: "radar.\(endpoint).timeseriesGroups", pathTemplate: template,
      path: template.replacingOccurrences(of: "{dimension}", with: dimension),
      queryItems: items.map { QueryItem($0.0, $0.1) })
  }
  let ctItems = [
    ("aggInterval", "15m"), ("caOwner", ""), ("caOwner", ""), ("caOwner", "-DigiCert"), ("dateRange", "7d"),
    ("dateRange", "7dcontrol"), ("dateRange", "7d"),
  ]
  let ct = request("ct", "CA", ctItems)
  let ctCSV = request("ct", "CA", ctItems + [("format", "CSV")])
  let netflows = request(
    "netflows", "AS",
    [
      ("aggInterval", "15m"), ("dateRange", "7d"), ("dateRange", "7d"), ("dateRange", "7d"), ("location", "US"),
      ("location", "DE"), ("location", "-US"), ("name", "us"), ("name", "de"), ("name", "rest"),
    ])

  do {
    let sample = try backend.result(for: ct)
    let points = sample.value["serie_0"]?["timestamps"]?.arrayValue?.count ?? 0
    let groups = (sample.value["serie_0"]?.objectValue?.count ?? 1) - 1
    report("demo: CT CA, 3 series × \(points) points × \(groups) groups, \(JSONWriter.bytes(sample.value).count) bytes")
    measure("demo: CT CA 7d/15m × 3 series → RadarResult", iterations: 200) { _ = try? backend.result(for: ct) }
    measure("demo: CT CA 7d/15m × 3 series → JSON bytes", iterations: 200) {
      if let result = try? backend.result(for: ct) { _ = JSONWriter.bytes(result.value) }
    }
    measure("demo: NetFlows AS 7d/15m × 3 series → RadarResult", iterations: 200) {
      _ = try? backend.result(for: netflows)
    }
    measure("demo: CT CA 7d/15m × 3 series → CSV", iterations: 200) { _ = try? backend.result(for: ctCSV) }
  } catch {
    report("demo: failed: \(error)")
  }
}
