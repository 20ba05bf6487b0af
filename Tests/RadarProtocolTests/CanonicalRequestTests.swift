import JSON
import Radar
import Testing

@testable import RadarProtocol

@Suite("Canonical requests")
struct CanonicalRequestTests {
  let netflows = Fixtures.netflows
  let ct = Fixtures.ct

  func request(_ method: RadarMethod, _ params: String) throws -> RadarRequest {
    try method.makeRequest(params: Fixtures.json(params))
  }

  @Test func pathAndQueryInDocumentOrder() throws {
    let r = try request(
      netflows,
      #"{"format":"JSON","limitPerGroup":10,"dateRange":["7d"],"dimension":"LOCATION","aggInterval":"1h","name":["main"],"location":["US,DE"],"asn":["13335"],"product":["HTTP"],"normalization":"PERCENTAGE"}"#
    )
    #expect(r.method == "radar.netflows.timeseriesGroups")
    #expect(r.pathTemplate == "/radar/netflows/timeseries_groups/{dimension}")
    #expect(r.path == "/radar/netflows/timeseries_groups/LOCATION")
    #expect(
      r.queryString
        == "aggInterval=1h&name=main&dateRange=7d&asn=13335&location=US%2CDE&limitPerGroup=10&normalization=PERCENTAGE&product=HTTP&format=JSON"
    )
  }

  @Test func contractSeriesExampleEqualsFlatForm() throws {
    let series = try request(
      netflows,
      #"{"dimension":"LOCATION","dateRange":"7d","series":[{"name":"us","location":"US"},{"name":"pt","location":"PT"}]}"#
    )
    let flat = try request(
      netflows, #"{"dimension":"LOCATION","name":["us","pt"],"location":["US","PT"],"dateRange":["7d","7d"]}"#)
    #expect(series == flat)
    #expect(series.key == flat.key)
    // The contract's query, up to the canonical order of names.
    let contract = "name=us&name=pt&location=US&location=PT&dateRange=7d&dateRange=7d"
    #expect(Set(series.queryString.split(separator: "&")) == Set(contract.split(separator: "&")))
    #expect(series.values("location") == ["US", "PT"])
    #expect(series.values("dateRange") == ["7d", "7d"])
    #expect(series.queryString == "name=us&name=pt&dateRange=7d&dateRange=7d&location=US&location=PT")
  }

  @Test func equivalentSpellingsGiveEqualKeys() throws {
    let spellings = [
      #"{"dimension":"AS","dateRange":"7d","location":"US,DE","aggInterval":"1h"}"#,
      #"{"aggInterval":"1h","location":["US,DE"],"dateRange":["7d"],"dimension":"AS"}"#,
      #"{"dimension":"AS","dateRange":["7d"],"location":[["US","DE"]],"aggInterval":"1h"}"#,
      #"{"dimension":"AS","aggInterval":"1h","series":[{"dateRange":"7d","location":["US","DE"]}]}"#,
      #"{"dimension":"AS","aggInterval":"1h","location":"US,DE","series":[{"dateRange":"7d"}]}"#,
      #"{"dimension":"AS","aggInterval":"1h","dateRange":"7d","location":"US,DE","workDoneToken":"w1","partialResultToken":7}"#,
    ]
    let requests = try spellings.map { try request(netflows, $0) }
    for r in requests { #expect(r == requests[0], "\(r.key)") }
    #expect(Set(requests.map(\.key)).count == 1)
    #expect(requests[0].key == "/radar/netflows/timeseries_groups/AS?aggInterval=1h&dateRange=7d&location=US%2CDE")
  }

  @Test func differentRequestsGiveDifferentKeys() throws {
    let base = try request(
      netflows, #"{"dimension":"AS","series":[{"name":"a","dateRange":"7d"},{"name":"b","dateRange":"7dcontrol"}]}"#)
    let swapped = try request(
      netflows, #"{"dimension":"AS","series":[{"name":"b","dateRange":"7dcontrol"},{"name":"a","dateRange":"7d"}]}"#)
    let otherDimension = try request(
      netflows,
      #"{"dimension":"LOCATION","series":[{"name":"a","dateRange":"7d"},{"name":"b","dateRange":"7dcontrol"}]}"#)
    let otherMethod = try request(
      Fixtures.leaked,
      #"{"dimension":"COMPROMISED","series":[{"name":"a","dateRange":"7d"},{"name":"b","dateRange":"7dcontrol"}]}"#)
    let twoSeries = try request(netflows, #"{"dimension":"AS","location":["US","DE"]}"#)
    let oneSeries = try request(netflows, #"{"dimension":"AS","location":"US,DE"}"#)
    #expect(base.key != swapped.key)
    #expect(base.key != otherDimension.key)
    #expect(base != otherMethod)
    #expect(twoSeries.key != oneSeries.key)
    #expect(twoSeries.values("location") == ["US", "DE"])
    #expect(oneSeries.values("location") == ["US,DE"])
  }

  @Test func seriesOrderIsKeptAcrossNames() throws {
    let r = try request(
      netflows,
      #"{"dimension":"AS","series":[{"name":"x","asn":"-174","dateRange":"1d"},{"name":"y","asn":["3356","13335"],"dateRange":"1dcontrol"},{"name":"z","dateRange":"1d"}]}"#
    )
    #expect(
      r.queryString == "name=x&name=y&name=z&dateRange=1d&dateRange=1dcontrol&dateRange=1d&asn=-174&asn=3356%2C13335")
  }

  @Test func holesInTheSeriesFormAreEmptyElements() throws {
    let r = try request(
      netflows,
      #"{"dimension":"AS","dateRange":"7d","series":[{"name":"world"},{"name":"us","location":"US"},{"name":"all"}]}"#)
    #expect(r.values("location") == ["", "US"])
    #expect(r.values("dateRange") == ["7d", "7d", "7d"])
    #expect(r.queryString.contains("location=&location=US"))
  }

  @Test func seriesValueOverridesTopLevelValue() throws {
    let r = try request(
      netflows,
      #"{"dimension":"AS","dateRange":"7d","series":[{"name":"now"},{"name":"before","dateRange":"7dcontrol"}]}"#)
    #expect(r.values("dateRange") == ["7d", "7dcontrol"])
  }

  @Test func scalarWidening() throws {
    #expect(
      try request(netflows, #"{"dimension":"AS","dateRange":"7d"}"#)
        == request(netflows, #"{"dimension":"AS","dateRange":["7d"]}"#))
    #expect(
      try request(ct, #"{"dimension":"CA","hasIps":true}"#) == request(ct, #"{"dimension":"CA","hasIps":[true]}"#))
    // An empty array sends nothing, like leaving the parameter out.
    #expect(try request(netflows, #"{"dimension":"AS","location":[]}"#) == request(netflows, #"{"dimension":"AS"}"#))
  }

  @Test func wireEncodings() throws {
    let r = try request(
      ct, #"{"dimension":"CA","hasIps":[true,false],"uniqueEntries":true,"limitPerGroup":10.0,"ca":"Let's Encrypt"}"#)
    #expect(r.values("hasIps") == ["true", "false"])
    // A single value applies to every series (contract §5), a top-level scalar as in the series form.
    #expect(r.values("uniqueEntries") == ["true", "true"])
    #expect(r.values("limitPerGroup") == ["10"])
    #expect(r.queryString.contains("ca=Let%27s%20Encrypt"))
    // uniqueEntries as the API's own strings gives the same request as JSON booleans.
    #expect(
      try request(ct, #"{"dimension":"CA","uniqueEntries":["false"]}"#)
        == request(ct, #"{"dimension":"CA","uniqueEntries":false}"#))
  }

  @Test func percentEncodingOfValues() throws {
    let r = try request(
      netflows,
      #"{"dimension":"AS","asn":"-174,3356","name":"a b&c=d","dateStart":"2024-01-01T00:00:00Z","dateEnd":"2024-01-08T00:00:00Z"}"#
    )
    #expect(
      r.queryString
        == "name=a%20b%26c%3Dd&dateStart=2024-01-01T00%3A00%3A00Z&dateEnd=2024-01-08T00%3A00%3A00Z&asn=-174%2C3356")
  }

  @Test func datesAreSentInUTC() throws {
    let a = try request(
      netflows, #"{"dimension":"AS","dateStart":"2024-01-01T02:00:00+02:00","dateEnd":"2024-01-08t00:00:00.000z"}"#)
    let b = try request(
      netflows, #"{"dimension":"AS","dateStart":"2024-01-01T00:00:00Z","dateEnd":"2024-01-08T00:00:00Z"}"#)
    #expect(a == b)
    #expect(a.values("dateStart") == ["2024-01-01T00:00:00Z"])
  }

  @Test func tokensAreRemoved() throws {
    let r = try request(netflows, #"{"dimension":"AS","workDoneToken":"t","partialResultToken":1}"#)
    #expect(r.queryItems.isEmpty)
    #expect(r.key == "/radar/netflows/timeseries_groups/AS")
  }

  @Test func wantsCSV() throws {
    #expect(try request(netflows, #"{"dimension":"AS","format":"CSV"}"#).wantsCSV)
    #expect(try !request(netflows, #"{"dimension":"AS"}"#).wantsCSV)
  }
}
