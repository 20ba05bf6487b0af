import JSON
import Radar
import Testing

@testable import RadarProtocol

@Suite("Invalid params")
struct InvalidParamsTests {
  let netflows = Fixtures.netflows
  let ct = Fixtures.ct

  func violations(_ method: RadarMethod, _ params: String, prefix: String = "") -> [Violation] {
    Fixtures.violations(method, Fixtures.json(params), prefix: prefix)
  }

  @Test func everyViolationAtOnce() {
    let found = violations(
      netflows,
      #"{"dimension":"locaton","aggInterval":"2h","format":"cvs","dateRange":["7d","7dControll","8x"],"limitPerGroup":1,"loction":"US","product":["HTTP",5]}"#
    )
    #expect(
      Set(found.paths) == [
        "/dimension", "/aggInterval", "/format", "/dateRange/1", "/dateRange/2", "/limitPerGroup", "/loction",
        "/product/1",
      ])
    let byPath = Dictionary(found.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byPath["/dimension"]?.suggestion == "LOCATION")
    #expect(byPath["/aggInterval"]?.message == #"must be one of 15m, 1h, 1d, 1w (got "2h"); did you mean "1h"?"#)
    #expect(byPath["/format"]?.suggestion == "CSV")
    #expect(byPath["/dateRange/1"]?.suggestion == nil)
    #expect(byPath["/dateRange/2"]?.suggestion == nil)
    #expect(byPath["/limitPerGroup"]?.message == "must be from 2 to 10000 (got 1)")
    #expect(byPath["/loction"]?.message == #"unknown parameter "loction"; did you mean "location"?"#)
    #expect(byPath["/loction"]?.suggestion == "location")
    #expect(byPath["/product/1"]?.message == "must be a string (got 5)")
  }

  @Test func dataForTheServer() throws {
    let error = try #require(throws: InvalidParams.self) {
      try netflows.makeRequest(params: ["dimension": "AS", "format": "cvs"])
    }
    #expect(
      error.data == [
        "errors": [
          [
            "path": "/format", "message": #"must be one of JSON, CSV (got "cvs"); did you mean "CSV"?"#,
            "didYouMean": "CSV",
          ]
        ]
      ])
    #expect(Violation(path: "/x", message: "m").json == ["path": "/x", "message": "m"])
  }

  @Test func theDocumentsInvalidParamsExampleIsWhatTheServerSays() throws {
    let example = try #require(Fixtures.table.document["components"]?["errors"]?["InvalidParams"]?["data"])
    let error = try #require(throws: InvalidParams.self) {
      try netflows.makeRequest(
        params: Fixtures.json(#"{"dimension":"AS","format":"cvs","dateRange":["7d","7dcontrl"]}"#))
    }
    #expect(error.data == example)
  }

  @Test func missingOrMalformedParams() {
    #expect(
      violations(netflows, "{}").map(\.description) == ["/dimension: is required (one of ADM1, AS, LOCATION, PRODUCT)"])
    #expect(Fixtures.violations(netflows, nil).paths == ["/dimension"])
    #expect(Fixtures.violations(netflows, .null).paths == ["/dimension"])
    #expect(
      violations(netflows, #"["AS"]"#) == [
        Violation(path: "", message: "params must be an object (by name), not an array")
      ])
    #expect(violations(netflows, "5").first?.message == "params must be an object (by name), not a number")
  }

  @Test func pointerPrefixForSubscriptions() {
    let found = violations(netflows, #"{"aggInterval":"1x","series":[{"loc":"US"}]}"#, prefix: "/params")
    #expect(Set(found.paths) == ["/params/dimension", "/params/aggInterval", "/params/series/0/loc"])
    #expect(violations(netflows, "[]", prefix: "/params").paths == ["/params"])
  }

  @Test func seriesFormRules() {
    let found = violations(
      netflows,
      #"{"dimension":"AS","location":["US","PT"],"series":[{"name":"a","aggInterval":"1h","dimension":"AS","locaton":"US","product":"htp"},"x"]}"#
    )
    let byPath = Dictionary(found.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byPath["/location"]?.message.contains("cannot be an array together with \"series\"") == true)
    #expect(
      byPath["/series/0/aggInterval"]?.message
        == "applies to every series: set it at the top level, not inside a series object")
    #expect(byPath["/series/0/dimension"]?.message == "cannot be set inside a series object")
    #expect(byPath["/series/0/locaton"]?.suggestion == "location")
    #expect(byPath["/series/0/product"]?.suggestion == "HTTP")
    #expect(byPath["/series/1"]?.message == #"must be an object (got "x")"#)
    #expect(found.count == 6)
    #expect(
      violations(netflows, #"{"dimension":"AS","series":[]}"#).map(\.description) == [
        "/series: must have at least 1 element"
      ])
    #expect(violations(netflows, #"{"dimension":"AS","series":[{"workDoneToken":"t","series":[]}]}"#).count == 2)
  }

  @Test func listFilterElements() {
    #expect(violations(netflows, #"{"dimension":"AS","location":[["US",5]]}"#).paths == ["/location/0/1"])
    #expect(
      violations(netflows, #"{"dimension":"AS","location":5}"#).map(\.message) == [
        "must be a string or an array (got 5)"
      ])
    #expect(
      violations(netflows, #"{"dimension":"AS","series":[{"location":[["US"]]}]}"#).paths == ["/series/0/location/0"])
  }

  @Test func dateRules() {
    // dateStart after dateEnd, same series.
    let after = violations(
      netflows, #"{"dimension":"AS","dateStart":"2024-01-08T00:00:00Z","dateEnd":"2024-01-01T00:00:00Z"}"#)
    #expect(
      after.map(\.description) == ["/dateStart: must not be after dateEnd of the same series (2024-01-01T00:00:00Z)"])
    // Equal instants in different offsets are fine; later offsets compare as instants.
    #expect(
      violations(
        netflows, #"{"dimension":"AS","dateStart":"2024-01-08T02:00:00+02:00","dateEnd":"2024-01-08T00:00:00Z"}"#
      ).isEmpty)
    #expect(
      violations(
        netflows, #"{"dimension":"AS","dateStart":"2024-01-08T01:00:00+02:00","dateEnd":"2024-01-08T00:00:00Z"}"#
      ).isEmpty)
    #expect(
      violations(
        netflows, #"{"dimension":"AS","dateStart":"2024-01-08T03:00:00+02:00","dateEnd":"2024-01-08T00:00:00Z"}"#
      ).count == 1)
    // Positional: series 1's start is after its end, series 0 is fine.
    let positional = violations(
      netflows,
      #"{"dimension":"AS","dateStart":["2024-01-01T00:00:00Z","2024-02-09T00:00:00Z"],"dateEnd":["2024-01-08T00:00:00Z","2024-02-08T00:00:00Z"]}"#
    )
    #expect(positional.paths == ["/dateStart/1"])
    // Start without end, end without start, range with start.
    #expect(
      violations(netflows, #"{"dimension":"AS","dateStart":"2024-01-01T00:00:00Z"}"#).map(\.description) == [
        "/dateStart: needs a dateEnd for the same series"
      ])
    #expect(
      violations(netflows, #"{"dimension":"AS","dateEnd":"2024-01-01T00:00:00Z"}"#).map(\.description) == [
        "/dateEnd: needs a dateStart for the same series"
      ])
    #expect(
      violations(
        netflows,
        #"{"dimension":"AS","dateRange":"7d","dateStart":"2024-01-01T00:00:00Z","dateEnd":"2024-01-02T00:00:00Z"}"#
      ).map(\.description) == [
        "/dateRange: cannot be combined with dateStart/dateEnd in the same series: give one or the other"
      ])
    // The series form points into the series object; a range in one series and dates in another is fine.
    let inSeries = violations(
      netflows,
      #"{"dimension":"AS","series":[{"dateRange":"7d"},{"dateStart":"2024-01-09T00:00:00Z","dateEnd":"2024-01-08T00:00:00Z"}]}"#
    )
    // (The range in series 0 and dates in series 1 would need empty elements Radar cannot read.)
    #expect(inSeries.paths == ["/series/0/dateStart", "/series/0/dateEnd", "/series/1/dateStart"])
    // A shared top-level start after a shared end is reported once, not once per series.
    let shared = violations(
      netflows,
      #"{"dimension":"AS","dateStart":"2024-01-09T00:00:00Z","dateEnd":"2024-01-08T00:00:00Z","series":[{"name":"a"},{"name":"b"}]}"#
    )
    #expect(shared.paths == ["/dateStart"])
    // A value that failed its schema is not checked again.
    #expect(
      violations(netflows, #"{"dimension":"AS","dateStart":"2024-01-01","dateEnd":"2024-01-02T00:00:00Z"}"#).paths == [
        "/dateStart"
      ])
  }

  @Test func integersTooLargeToSend() {
    #expect(
      violations(netflows, #"{"dimension":"AS","limitPerGroup":1e30}"#).map(\.message) == [
        "must be from 2 to 10000 (got 1e30)"
      ])
    #expect(
      violations(netflows, #"{"dimension":"AS","limitPerGroup":2.5}"#).map(\.message) == [
        "must be an integer (got 2.5)"
      ])
    #expect(
      violations(netflows, #"{"dimension":"AS","limitPerGroup":true}"#).map(\.message) == [
        "must be an integer (got true)"
      ])
  }

  /// An unknown name is the client's text: its message quotes it cut, its path is cut (contract §7).
  @Test func aHugeUnknownNameIsQuotedCut() throws {
    let name = String(repeating: "k", count: 1_000_000)
    let found = violations(netflows, #"{"dimension":"AS","\#(name)":1}"#)
    let only = try #require(found.first)
    #expect(found.count == 1)
    #expect(only.message.utf8.count < 100 && only.message.hasPrefix("unknown parameter \"kkk"), "\(only.message)")
    #expect(only.path.count == Violation.maxPathCharacters)
  }

  /// A date written right whose day does not exist is told so, not that it lacks an offset.
  @Test(arguments: [
    ("2026-02-29T00:00:00Z", "is not a date-time that exists: 2026-02 has 28 days"),
    ("2026-13-01T00:00:00Z", "is not a date-time that exists: there is no month 13"),
    ("2026-04-31T00:00:00+02:00", "is not a date-time that exists: 2026-04 has 30 days"),
    ("2026-01-01T24:00:00Z", "is not a date-time that exists: there is no hour 24 (00…23)"),
    ("2026-01-01", "must be an RFC 3339 date-time with a time-zone offset"),
  ])
  func aDayThatDoesNotExistIsNamed(text: String, message: String) throws {
    let found = violations(netflows, #"{"dimension":"AS","dateStart":"\#(text)","dateEnd":"2026-12-01T00:00:00Z"}"#)
    let first = try #require(found.first { $0.path.hasPrefix("/dateStart") }, "\(found)")
    #expect(first.message.hasPrefix(message), "\(first.message)")
  }

  @Test func leapYearsHaveTheirDay() {
    #expect(
      violations(netflows, #"{"dimension":"AS","dateStart":"2024-02-29T00:00:00Z","dateEnd":"2024-03-01T00:00:00Z"}"#)
        .isEmpty)
  }

  @Test func nullIsNotAbsent() {
    #expect(violations(netflows, #"{"dimension":"AS","location":null}"#).paths == ["/location"])
  }
}
