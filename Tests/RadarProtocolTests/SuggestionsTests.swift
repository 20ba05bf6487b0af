import Testing

@testable import RadarProtocol

@Suite("Suggestions")
struct SuggestionsTests {
  @Test func caseMistakes() {
    #expect(Suggestions.closest(to: "csv", among: ["JSON", "CSV"]) == ["CSV"])
    #expect(Suggestions.closest(to: "location", among: ["ADM1", "AS", "LOCATION", "PRODUCT"]) == ["LOCATION"])
    #expect(Suggestions.closest(to: "7dControl", among: ["7dcontrol"]) == ["7dcontrol"])
  }

  @Test func typosAndTranspositions() {
    let params = ["aggInterval", "name", "dateRange", "dateStart", "dateEnd", "limitPerGroup", "location"]
    #expect(Suggestions.closest(to: "aggInterva", among: params) == ["aggInterval"])
    #expect(Suggestions.closest(to: "dateStrat", among: params) == ["dateStart"])
    #expect(Suggestions.closest(to: "limitPerGroups", among: params) == ["limitPerGroup"])
    #expect(
      Suggestions.closest(to: "radar.ct.timeseriesGroup", among: ["radar.ct.timeseriesGroups", "server.stats"])
        == ["radar.ct.timeseriesGroups"])
  }

  @Test func nothingCloseMeansNoSuggestion() {
    #expect(Suggestions.closest(to: "foo", among: ["aggInterval", "dateRange"]).isEmpty)
    #expect(Suggestions.closest(to: "x", among: ["1h", "1d"]).isEmpty)
    #expect(Suggestions.closest(to: "CSV", among: ["CSV"]).isEmpty)
  }

  @Test func bestFirstThenDocumentOrder() {
    #expect(Suggestions.closest(to: "1x", among: ["15m", "1h", "1d", "1w"]) == ["1h", "1d", "1w"])
    #expect(Suggestions.closest(to: "dateEn", among: ["dateRange", "dateEnd"]) == ["dateEnd"])
  }

  @Test func editDistance() {
    func d(_ a: String, _ b: String) -> Int {
      Suggestions.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }
    #expect(d("", "abc") == 3)
    #expect(d("kitten", "sitting") == 3)
    #expect(d("ab", "ba") == 1)
    #expect(d("same", "same") == 0)
  }
}
