import Foundation
import JSON
import Radar
import Testing

@testable import Radar

/// `format=CSV` answers in the style of Radar's CSV (radar-notebooks).
@Suite("Demo backend: CSV")
struct DemoCSVTests {
  func csv(_ endpoint: DemoFixture.Endpoint, _ dimension: String, _ items: [(String, String)]) throws -> String {
    let result = try DemoFixture.backend.result(
      for: DemoFixture.request(endpoint, dimension, items + [("format", "CSV")]))
    #expect(result.value["format"]?.stringValue == "CSV")
    #expect(result.byteCount == result.value["csv"]?.stringValue?.utf8.count)
    return try #require(result.value["csv"]?.stringValue)
  }

  @Test("named series side by side, one row per timestamp, the same numbers as the JSON answer")
  func namedSeries() throws {
    let items = [
      ("dateRange", "1d"), ("dateRange", "1dcontrol"), ("name", "south_africa"), ("name", "before"),
      ("aggInterval", "1h"),
    ]
    let text = try csv(DemoFixture.leaked, "BOT_CLASS", items)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines.first
        == "South_africa timestamps,South_africa bot,South_africa human,Before timestamps,Before bot,Before human")
    #expect(lines.count == 24 + 2 && lines.last == "")
    let json = try DemoFixture.answer(DemoFixture.leaked, "BOT_CLASS", items)
    let now = try DemoSeries(json["south_africa"]?.objectValue)
    let before = try DemoSeries(json["before"]?.objectValue)
    for (i, line) in lines.dropFirst().dropLast().enumerated() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      #expect(
        cells == [
          now.timestamps[i], now.texts["bot"]![i], now.texts["human"]![i],
          before.timestamps[i], before.texts["bot"]![i], before.texts["human"]![i],
        ])
    }
  }

  @Test("an unnamed series is headed by its key, capitalized: Serie_0")
  func unnamedSeries() throws {
    let text = try csv(DemoFixture.netflows, "PRODUCT", [("dateRange", "1d")])
    #expect(text.hasPrefix("Serie_0 timestamps,Serie_0 HTTP,Serie_0 ALL\n2026-11-15T10:45:00Z,"))
  }

  @Test("keys with commas or quotes are quoted; CT log names with apostrophes are not")
  func quoting() throws {
    var out: [UInt8] = []
    DemoCSV.field("cPanel, Inc.", into: &out)
    out.append(UInt8(ascii: ";"))
    DemoCSV.field("say \"hi\"", into: &out)
    out.append(UInt8(ascii: ";"))
    DemoCSV.field("Google 'Argon2026h1'", into: &out)
    #expect(String(decoding: out, as: UTF8.self) == "\"cPanel, Inc.\";\"say \"\"hi\"\"\";Google 'Argon2026h1'")
    let text = try csv(DemoFixture.ct, "LOG", [("dateRange", "1d")])
    #expect(text.hasPrefix("Serie_0 timestamps,Serie_0 "))
    #expect(text.contains("Serie_0 Cloudflare 'Nimbus2026'"))
  }

  @Test("series of different lengths leave empty cells")
  func ragged() throws {
    let text = try csv(
      DemoFixture.ct, "ENTRY_TYPE",
      [
        ("dateStart", "2026-11-16T08:00:00Z"), ("dateStart", "2026-11-15T08:00:00Z"),
        ("dateEnd", "2026-11-16T10:00:00Z"),
        ("dateEnd", "2026-11-15T10:00:00Z"), ("aggInterval", "1h"),
      ])
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(lines[3].hasPrefix(",,,2026-11-15T10:00:00Z,"))
  }
}
