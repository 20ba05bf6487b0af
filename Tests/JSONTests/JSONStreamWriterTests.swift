import Testing

@testable import JSON

@Suite struct JSONStreamWriterTests {
  /// The stream writer writes what JSONWriter writes for the same value.
  @Test func writesWhatTheTreeWriterWrites() {
    var writer = JSONStreamWriter(capacity: 16)
    writer.beginObject()
    writer.key("meta")
    writer.value(["a": [1, "x"]])
    writer.key("serie_0")
    writer.beginObject()
    writer.key("timestamps")
    let texts = { (i: Int, out: UnsafeMutablePointer<UInt8>) -> Int in
      for k in 0...i { out[k] = UInt8(ascii: "a") + UInt8(i) }
      return i + 1
    }
    writer.stringArray(count: 3, maxBytes: 3, element: texts)
    writer.key("G\"1")
    writer.fixedPointStrings([525532, -31000, 5, 0], decimals: 4)
    writer.key("empty")
    writer.beginArray()
    writer.endArray()
    writer.key("raw")
    writer.fixedPointStrings([7, -12, 1234567], decimals: 0)
    writer.key("none")
    writer.fixedPointStrings([], decimals: 2)
    writer.key("noStrings")
    writer.stringArray(count: 0, maxBytes: 8) { _, _ in 0 }
    writer.key("s")
    writer.string("é\t")
    writer.key("again")
    writer.stringArray(count: 3, maxBytes: 3, element: texts)
    writer.endObject()
    writer.key("serie_1")
    writer.value(.encoded(EncodedJSON(["a", "bb", "ccc"])))
    writer.endObject()
    let expected: JSONValue = [
      "meta": ["a": [1, "x"]],
      "serie_0": [
        "timestamps": ["a", "bb", "ccc"], "G\"1": ["52.5532", "-3.1000", "0.0005", "0.0000"], "empty": [],
        "raw": ["7", "-12", "1234567"], "none": [], "noStrings": [], "s": "é\t", "again": ["a", "bb", "ccc"],
      ],
      "serie_1": ["a", "bb", "ccc"],
    ]
    #expect(writer.finish().bytes == JSONWriter.bytes(expected))
  }

  /// Every number of decimals and digit count, against plain decimal arithmetic on the text;
  /// arrays longer than the writer's chunk of elements per capacity check, from a small capacity.
  @Test func fixedPointStringsAgreeWithDecimalText() throws {
    var magnitudes: [Int64] = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 12345, 99999, 100000, 1234567, 987654321]
    var power: Int64 = 1
    for _ in 0..<18 {
      power *= 10
      magnitudes += [power - 1, power, power + 1]
    }
    var state: UInt64 = 1
    for _ in 0..<600 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      magnitudes.append(Int64(state >> (1 + state % 63)))
    }
    for decimals in 0...8 {
      let values = magnitudes.flatMap { [$0, -$0] } + [Int64.max, Int64.min + 1, Int64.min]
      var writer = JSONStreamWriter(capacity: 1)
      writer.fixedPointStrings(values, decimals: decimals)
      let bytes = writer.finish().bytes
      let written = try #require(JSONParser.parse(bytes).arrayValue)
      #expect(written.count == values.count)
      for (value, text) in zip(values, written) {
        #expect(text.stringValue == reference(value, decimals: decimals), "\(value) with \(decimals) decimals")
      }
      #expect(bytes == JSONWriter.bytes(.array(values.map { .string(reference($0, decimals: decimals)) })))
    }
  }

  private func reference(_ value: Int64, decimals: Int) -> String {
    var digits = String(value.magnitude)
    if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
    if decimals > 0 { digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals)) }
    return (value < 0 ? "-" : "") + digits
  }
}
