import Foundation
import JSON
import Testing

@testable import Radar

/// The demo writes its JSON answers straight to bytes (`DemoJSON.result`); these check the bytes are
/// exactly what ``JSONWriter`` writes for the same answer as a value tree whose strings come from
/// independent formatters (Foundation's ISO 8601 and `String(format:)`, ``FixedDecimal``'s digit loop).
@Suite("Demo backend: JSON answers written straight to bytes")
struct DemoJSONTests {
  /// Edge values for every number of decimals, axes shared, distinct, empty and irregular (before
  /// 1970, across a leap day and a new year, out of order).
  @Test("DemoJSON.result writes what JSONWriter writes for the same tree, edge values included")
  func sameBytesAsTheTreeWriter() throws {
    let quarter: Int64 = 900
    let regular = (0..<400).map { 1_735_682_400 + Int64($0) * quarter }  // 2024-12-31T22:00:00Z on
    var generator = SplitMixForTests(seed: 17)
    let irregular =
      [-2_000_000_000, -1, 0, 1, 951_868_799, 951_868_800, 1_709_251_199, 4_102_444_800]
      + (0..<300).map { _ in Int64(generator.next() % 8_000_000_000) - 2_000_000_000 }  // 1906 … 2223
    let edges: [Int64] = [0, 1, -1, 9, -9, 10, 99, 100, -100, 99_999, 100_000, 1_000_000, -52_553_200, .max, .min]
    func values(_ count: Int) -> [Int64] {
      edges
        + (0..<(count - edges.count)).map { _ in
          Int64(bitPattern: generator.next()) >> Int64(generator.next() % 64)
        }
    }
    var keys: [String] = []
    var timestamps: [[Int64]] = []
    var columns: [DemoColumns] = []
    for decimals in 0...8 {
      let axis = [regular, irregular, [], regular][decimals % 4]
      keys.append(decimals == 3 ? "serie \"\(decimals)\"" : "serie_\(decimals)")
      timestamps.append(axis)
      let groups = decimals == 2 ? [] : ["a", "b\\c", "other"]
      columns.append(
        DemoColumns(
          keys: groups, scaled: groups.map { _ in axis.isEmpty ? [] : values(axis.count) }, decimals: decimals))
    }
    let meta: JSONValue = ["aggInterval": "FIFTEEN_MINUTES", "confidenceInfo": ["annotations": [], "level": 5]]

    let written = DemoJSON.result(meta: meta, keys: keys, timestamps: timestamps, columns: columns).encoded.bytes

    let iso = ISO8601DateFormatter()
    var tree: [(String, JSONValue)] = [("meta", meta)]
    for (index, key) in keys.enumerated() {
      let times = timestamps[index].map { JSONValue.string(iso.string(from: Date(timeIntervalSince1970: Double($0)))) }
      var series: [(String, JSONValue)] = [("timestamps", .array(times))]
      let column = columns[index]
      for (k, group) in column.keys.enumerated() {
        let texts = column.scaled[k].map {
          JSONValue.string(FixedDecimal.string(scaled: $0, decimals: column.decimals))
        }
        series.append((group, .array(texts)))
      }
      tree.append((key, .object(JSONObject(series))))
    }
    #expect(written == JSONWriter.bytes(.object(JSONObject(tree))))
  }

  /// Whole answers as the backend makes them: the bytes are the tree writer's for the same value,
  /// with every timestamp and value written again by Foundation.
  @Test(
    "demo answers are the tree writer's bytes, strings as Foundation writes them",
    arguments: [
      ([("aggInterval", "15m"), ("dateRange", "7d"), ("dateRange", "7dcontrol"), ("dateRange", "7d")], 4),
      ([("normalization", "MIN0_MAX"), ("dateRange", "7d"), ("dateRange", "7dcontrol")], 6),
      ([("normalization", "RAW_VALUES"), ("dateRange", "2d")], 0),
      ([("normalization", "PERCENTAGE_CHANGE"), ("dateRange", "7d"), ("dateRange", "7dcontrol")], 4),
      ([("dateStart", "2024-02-27T00:00:00Z"), ("dateEnd", "2024-03-02T00:00:00Z"), ("aggInterval", "1h")], 4),
    ] as [([(String, String)], Int)])
  func wholeAnswers(_ items: [(String, String)], decimals: Int) throws {
    let result = try DemoFixture.backend.result(for: DemoFixture.request(DemoFixture.ct, "CA", items))
    let bytes = result.encoded.bytes
    let answer = try #require(JSONParser.parse(bytes).objectValue)
    let iso = ISO8601DateFormatter()
    var tree: [(String, JSONValue)] = []
    for (key, value) in answer {
      guard key != "meta" else {
        tree.append((key, value))
        continue
      }
      var series: [(String, JSONValue)] = []
      for (name, array) in try #require(value.objectValue) {
        let strings = try #require(array.arrayValue).map { try #require($0.stringValue) }
        let again =
          name == "timestamps"
          ? try strings.map { iso.string(from: Date(timeIntervalSince1970: Double(try demoSeconds($0)))) }
          : try strings.map { String(format: "%.\(decimals)f", try #require(Double($0))) }
        series.append((name, .array(again.map(JSONValue.string))))
      }
      #expect(series.first?.0 == "timestamps")
      #expect(series.count > 1)
      tree.append((key, .object(JSONObject(series))))
    }
    #expect(tree.count >= 2)
    #expect(bytes == JSONWriter.bytes(.object(JSONObject(tree))))
  }
}
