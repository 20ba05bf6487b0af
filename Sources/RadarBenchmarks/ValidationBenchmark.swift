import JSON
import RadarProtocol

/// Validation and canonicalization of a typical Radar call (the params of
/// shared/bench/params/netflows.json), and loading the embedded document at start-up.
func validationBenchmark() async {
  let text =
    #"{"dimension":"LOCATION","dateRange":["7d"],"aggInterval":"1h","location":["US,DE"],"asn":["13335"],"#
    + #""product":["HTTP"],"name":["main"],"normalization":"PERCENTAGE","limitPerGroup":10,"format":"JSON"}"#
  let seriesText =
    #"{"dimension":"LOCATION","dateRange":"7d","aggInterval":"1h","series":[{"name":"us","location":"US","asn":"13335"},"#
    + #"{"name":"pt","location":["PT","ES"],"product":"HTTP"}]}"#
  let invalidText =
    #"{"dimension":"location","aggInterval":"2h","format":"csv","dateRange":["7dControl"],"loction":"US"}"#
  guard let params = try? JSONParser.parse(text), let series = try? JSONParser.parse(seriesText),
    let invalid = try? JSONParser.parse(invalidText)
  else { fatalError("benchmark params are not JSON") }

  measure("validation: parse embedded document + build method table (start-up)", iterations: 20) {
    _ = try? MethodTable(bytes: MethodTable.embeddedDocumentBytes)
  }
  let method = MethodTable.embedded.radarMethod(named: "radar.netflows.timeseriesGroups")!
  guard let request = try? method.makeRequest(params: params) else { fatalError("benchmark params are invalid") }
  report("validation: canonical key \(request.key)")

  measure("validation: validate + canonicalize netflows.json params", iterations: 100_000) {
    _ = try? method.makeRequest(params: params)
  }
  measure("validation: same, plus the request key", iterations: 100_000) {
    _ = (try? method.makeRequest(params: params))?.key
  }
  measure("validation: series form, two series", iterations: 100_000) {
    _ = try? method.makeRequest(params: series)
  }
  measure("validation: invalid params, 5 violations with suggestions", iterations: 20_000) {
    _ = try? method.makeRequest(params: invalid)
  }
  // Contract §5, §7: a request for 10,000 series is refused (-32602, --max-series) before any
  // per-series work. Timed from the frame's bytes: parsing them is part of what the server does.
  let names = (0..<10_000).map { "\"s\($0)\"" }.joined(separator: ",")
  let huge = Array(#"{"dimension":"CA","dateRange":"1d","name":["#.utf8) + Array(names.utf8) + Array("]}".utf8)
  let ct = MethodTable.embedded.radarMethod(named: "radar.ct.timeseriesGroups")!
  measure("validation: 10,000-series request (\(huge.count / 1024) KiB) parsed and refused", iterations: 2_000) {
    guard let value = try? JSONParser.parse(huge) else { fatalError("not JSON") }
    _ = try? ct.makeRequest(params: value)
  }
}
