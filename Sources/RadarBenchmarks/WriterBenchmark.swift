import Foundation
import JSON
import Radar

/// Serialising what must still be serialised from scratch: a fresh 250 KB demo answer (CT CA,
/// 7 days at 15 minutes, 3 series × 672 points × 11 groups). The demo writes its answer straight
/// to bytes (`DemoJSON.result`); the same answer as a `JSONValue` tree goes through `JSONWriter`
/// (what a live answer costs once, when it enters the cache). Times in ms and MB/s.
///
/// For instruction counts, `radar-benchmarks writer-icount demo|tree K` does only that K times
/// and prints the bytes of one answer; bench/run runs it under
/// `valgrind --tool=callgrind --toggle-collect=<the function>` (`*8DemoJSONO6result*` for demo,
/// `*serializeForCallgrind*` for tree) and divides the instructions by K × bytes.
func writerBenchmark() async {
  guard let (backend, request) = freshDemoRequest(), let answer = try? backend.result(for: request) else { return }
  let tree = answer.value.resolved
  let bytes = answer.encoded.count
  measure("writer: fresh demo answer CT CA 3 × 672 (\(bytes) bytes), generated and written", iterations: 100) {
    _ = try? backend.result(for: request)
  }
  var best = Double.infinity
  measure("writer: the same answer as a JSONValue tree → JSONWriter.bytes", iterations: 100) {
    let start = ContinuousClock.now
    _ = JSONWriter.bytes(tree)
    best = min(best, (ContinuousClock.now - start) / .nanoseconds(1))
  }
  report(String(format: "writer: JSONWriter %.0f MB/s on the tree (best call)", Double(bytes) / best * 1e9 / 1e6))
}

/// `writer-icount demo|tree K`: see ``writerBenchmark()``.
func writerInstructionCount(_ arguments: [String]) {
  let times = arguments.dropFirst().first.flatMap { Int($0) } ?? 10
  guard let (backend, request) = freshDemoRequest(), let answer = try? backend.result(for: request) else { return }
  switch arguments.first {
  case "tree":
    let tree = answer.value.resolved
    report("writer-icount tree: \(times) × \(serializeForCallgrind(tree, times: times)) bytes")
  default:
    for _ in 0..<times { _ = try? backend.result(for: request) }
    report("writer-icount demo: \(times) × \(answer.encoded.count) bytes")
  }
}

/// The only code callgrind counts in `writer-icount tree` (its name is the toggle).
@inline(never)
func serializeForCallgrind(_ value: JSONValue, times: Int) -> Int {
  var count = 0
  for _ in 0..<times { count = JSONWriter.bytes(value).count }
  return count
}

/// The demo backend at a fixed time and its CT CA request over 7 days at 15 minutes, 3 series.
private func freshDemoRequest() -> (DemoBackend, RadarRequest)? {
  let now = Date(timeIntervalSince1970: 1_794_825_432)  // 2026-11-16T10:37:12Z
  let template = "/radar/ct/timeseries_groups/{dimension}"
  let items = [
    ("aggInterval", "15m"), ("caOwner", ""), ("caOwner", ""), ("caOwner", "-DigiCert"), ("dateRange", "7d"),
    ("dateRange", "7dcontrol"), ("dateRange", "7d"),
  ]
  let request = RadarRequest(
    method: "radar.ct.timeseriesGroups", pathTemplate: template, path: "/radar/ct/timeseries_groups/CA",
    queryItems: items.map { QueryItem($0.0, $0.1) })
  return (DemoBackend(now: { now }), request)
}
