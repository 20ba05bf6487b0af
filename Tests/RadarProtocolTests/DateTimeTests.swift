import JSON
import Testing

@testable import RadarProtocol

@Suite("RFC 3339 date-times")
struct DateTimeTests {
  @Test(arguments: [
    "2024-01-08T00:00:00Z", "2024-01-08t00:00:00z", "2024-02-29T23:59:59.999999+14:00", "0001-01-01T00:00:00Z",
  ])
  func accepts(_ text: String) { #expect(DateTime(text) != nil) }

  @Test(arguments: [
    "2024-01-08", "2024-01-08T00:00:00", "2024-01-08 00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
    "2024-01-08T24:00:00Z", "2024-01-08T00:60:00Z", "2024-01-08T00:00:00.Z", "2024-01-08T00:00:00+24:00",
    "2024-01-08T00:00:00+0100", "1998-12-31T22:59:60Z", "1998-12-31T23:59:60Z", "1998-12-31T15:59:60-08:00",
    "2024-1-08T00:00:00Z", "２０２４-01-08T00:00:00Z",
    "2024-01-08T00:00:00Zjunk",
  ])
  func rejects(_ text: String) { #expect(DateTime(text) == nil) }

  @Test func normalizesToUTC() {
    #expect(DateTime("2024-01-08T02:00:00+02:00")!.utcString(original: "") == "2024-01-08T00:00:00Z")
    #expect(DateTime("2024-01-01T01:30:00.500+05:30")!.utcString(original: "") == "2023-12-31T20:00:00.5Z")
    #expect(DateTime("2024-02-28T23:00:00-01:00")!.utcString(original: "") == "2024-02-29T00:00:00Z")
    #expect(DateTime("2024-01-08t00:00:00.000z")!.utcString(original: "") == "2024-01-08T00:00:00Z")
  }

  @Test func comparesInstants() {
    #expect(DateTime("2024-01-08T02:00:00+02:00")! == DateTime("2024-01-08T00:00:00Z")!)
    #expect(DateTime("2024-01-08T00:00:00.25Z")! < DateTime("2024-01-08T00:00:00.5Z")!)
    #expect(DateTime("2024-01-08T00:00:00Z")! < DateTime("2024-01-07T23:00:00-02:00")!)
  }

  /// RFC 3339 writes years 0000…9999 with any offset, so an instant can fall in the year -1 or
  /// 10000 once in UTC: no text can carry it upstream, and it is -32602 at its path.
  @Test func instantsOutsideTheWritableYearsAreInvalidParams() throws {
    for text in [
      "0000-01-01T00:00:00Z", "0000-01-01T23:59:00+23:59", "9999-12-31T23:59:59Z", "9999-12-31T00:00:00-23:59",
    ] {
      #expect(try #require(DateTime(text)).isInUTCYears, "\(text)")
    }
    for text in ["0000-01-01T00:00:00+00:01", "0000-01-01T00:00:00+23:59", "9999-12-31T23:59:59-00:01"] {
      #expect(try #require(DateTime(text)).isInUTCYears == false, "\(text)")
      let method = try #require(MethodTable.embedded.radarMethod(named: "radar.ct.timeseriesGroups"))
      do {
        _ = try method.makeRequest(params: ["dimension": "CA", "dateStart": .string(text)])
        Issue.record("\(text) was accepted")
      } catch {
        #expect(error.violations.map(\.path) == ["/dateStart"], "\(text)")
        #expect(error.violations.first?.message.contains("once in UTC") == true, "\(error.violations)")
      }
    }
  }

  @Test func suggestsNearMisses() {
    #expect(DateTime.suggestion(for: "2024-01-08") == "2024-01-08T00:00:00Z")
    #expect(DateTime.suggestion(for: "2024-01-08T10:00:00") == "2024-01-08T10:00:00Z")
    #expect(DateTime.suggestion(for: "2024-01-08 10:00:00Z") == "2024-01-08T10:00:00Z")
    #expect(DateTime.suggestion(for: "yesterday") == nil)
  }
}
