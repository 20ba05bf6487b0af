import Foundation
import JSON
import Radar

/// The demo backend's budget: a 1-week, 15-minute, 3-series answer (672 points per series) in
/// under 2 ms, uncached. Measured on the synchronous path (no simulated latency), with and
/// without writing the JSON bytes, for a CT and a NetFlows request, and as CSV.
func demoBenchmark() async {
  let now = Date(timeIntervalSince1970: 1_794_825_432)  // 2026-11-16T10:37:12Z
  let backend = DemoBackend(now: { now })
  let ct = RadarRequest(
    method: "radar.ct.timeseriesGroups", pathTemplate: "/radar/ct/timeseries_groups/{dimension}",
    path: "/radar/ct/timeseries_groups/CA",
    queryItems: [
      QueryItem("aggInterval", "15m"), QueryItem("caOwner", ""), QueryItem("caOwner", ""),
      QueryItem("caOwner", "-DigiCert"), QueryItem("dateRange", "7d"), QueryItem("dateRange", "7dcontrol"),
      QueryItem("dateRange", "7d"),
    ])
  let netflows = RadarRequest(
    method: "radar.netflows.timeseriesGroups", pathTemplate: "/radar/netflows/timeseries_groups/{dimension}",
    path: "/radar/netflows/timeseries_groups/AS",
    queryItems: [
      QueryItem("aggInterval", "15m"), QueryItem("dateRange", "7d"), QueryItem("dateRange", "7d"),
      QueryItem("dateRange", "7d"), QueryItem("location", "US"), QueryItem("location", "DE"),
      QueryItem("location", "-US"), QueryItem("name", "us"), QueryItem("name", "de"), QueryItem("name", "rest"),
    ])
  var csv = ct.queryItems
  csv.append(QueryItem("format", "CSV"))
  let ctCSV = RadarRequest(method: ct.method, pathTemplate: ct.pathTemplate, path: ct.path, queryItems: csv)

  do {
    let sample = try backend.result(for: ct)
    let points = sample.value["serie_0"]?["timestamps"]?.arrayValue?.count ?? 0
    let groups = (sample.value["serie_0"]?.objectValue?.count ?? 1) - 1
    print("demo: CT CA, 3 series × \(points) points × \(groups) groups, \(JSONWriter.bytes(sample.value).count) bytes")
    measure("demo: CT CA 7d/15m × 3 series → RadarResult", iterations: 200) { _ = try? backend.result(for: ct) }
    measure("demo: CT CA 7d/15m × 3 series → JSON bytes", iterations: 200) {
      if let result = try? backend.result(for: ct) { _ = JSONWriter.bytes(result.value) }
    }
    measure("demo: NetFlows AS 7d/15m × 3 series → RadarResult", iterations: 200) {
      _ = try? backend.result(for: netflows)
    }
    measure("demo: CT CA 7d/15m × 3 series → CSV", iterations: 200) { _ = try? backend.result(for: ctCSV) }
  } catch {
    print("demo: failed: \(error)")
  }
}
