import Testing

@testable import JSON

@Suite struct EncodedJSONTests {
  let answer: JSONValue = [
    "meta": ["aggInterval": "ONE_HOUR", "units": [["name": "*", "value": "%"]]],
    "serie_0": ["timestamps": ["2026-01-01T00:00:00Z"], "A \"quoted\" key": ["52.5532", "1.5"]],
    "extra": nil, "n": 12, "flag": true, "text": "line\nbreak",
  ]

  /// A response holding an encoded result is byte for byte the response holding the value.
  @Test func splicesExactlyWhatTheWriterWrites() throws {
    let encoded = EncodedJSON(answer)
    #expect(encoded.bytes == JSONWriter.bytes(answer))
    let envelope: JSONValue = ["jsonrpc": "2.0", "id": 7, "result": .encoded(encoded)]
    let expected: JSONValue = ["jsonrpc": "2.0", "id": 7, "result": answer]
    #expect(JSONWriter.bytes(envelope) == JSONWriter.bytes(expected))
    // Nested: an encoded value inside another encoded value.
    let twice = EncodedJSON(["inner": .encoded(encoded)])
    #expect(twice.decoded == ["inner": answer])
  }

  @Test func equalsAndHashesLikeTheValueItHolds() {
    let encoded = JSONValue.encoded(EncodedJSON(answer))
    #expect(encoded == answer)
    #expect(answer == encoded)
    #expect(encoded.hashValue == answer.hashValue)
    #expect(encoded != .encoded(EncodedJSON(["meta": nil])))
    // The same members in another order: other bytes, same JSON value.
    let reordered = JSONValue.encoded(EncodedJSON(["b": 2, "a": 1]))
    #expect(reordered == .encoded(EncodedJSON(["a": 1, "b": 2])))
    #expect(reordered.hashValue == JSONValue.encoded(EncodedJSON(["a": 1, "b": 2])).hashValue)
  }

  @Test func accessorsSeeTheValue() {
    let encoded = JSONValue.encoded(EncodedJSON(answer))
    #expect(encoded.typeName == "object")
    #expect(encoded["meta"]?["aggInterval"] == "ONE_HOUR")
    #expect(encoded["n"]?.intValue == 12)
    #expect(encoded.objectValue?.keys == answer.objectValue?.keys)
    #expect(JSONValue.encoded(EncodedJSON("x")).stringValue == "x")
    #expect(JSONValue.encoded(EncodedJSON(nil)).isNull)
    for (value, name) in [(JSONValue.array([1]), "array"), (true, "boolean"), (-1.5, "number"), ("s", "string")] {
      #expect(JSONValue.encoded(EncodedJSON(value)).typeName == name)
    }
  }

  /// Members are slices of the same bytes, in order, keys unescaped.
  @Test func membersOfAnEncodedObject() throws {
    let members = try #require(EncodedJSON(answer).members())
    #expect(members.map(\.key) == ["meta", "serie_0", "extra", "n", "flag", "text"])
    for (key, value) in members {
      #expect(value.decoded == answer[key], "\(key)")
    }
    #expect(members[1].value.members()?.map(\.key) == ["timestamps", "A \"quoted\" key"])
    #expect(EncodedJSON([1, 2]).members() == nil)
    #expect(EncodedJSON([:]).members()?.isEmpty == true)
  }
}

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
    writer.value(.encoded(EncodedJSON(["t1", "t2"])))
    writer.key("G\"1")
    writer.fixedPointStrings([525532, -31000, 5, 0], decimals: 4)
    writer.key("empty")
    writer.beginArray()
    writer.endArray()
    writer.key("raw")
    writer.fixedPointStrings([7, -12, 1234567], decimals: 0)
    writer.key("s")
    writer.string("é\t")
    writer.endObject()
    writer.endObject()
    let expected: JSONValue = [
      "meta": ["a": [1, "x"]],
      "serie_0": [
        "timestamps": ["t1", "t2"], "G\"1": ["52.5532", "-3.1000", "0.0005", "0.0000"], "empty": [],
        "raw": ["7", "-12", "1234567"], "s": "é\t",
      ],
    ]
    #expect(writer.finish().bytes == JSONWriter.bytes(expected))
  }

  /// Every number of decimals and digit count, against plain decimal arithmetic on the text.
  @Test func fixedPointStringsAgreeWithDecimalText() throws {
    let magnitudes: [Int64] = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 12345, 99999, 100000, 1234567, 987654321]
    for decimals in 0...8 {
      let values = magnitudes.flatMap { [$0, -$0] } + [Int64.max, Int64.min + 1]
      var writer = JSONStreamWriter()
      writer.fixedPointStrings(values, decimals: decimals)
      let written = try #require(JSONParser.parse(writer.finish().bytes).arrayValue)
      for (value, text) in zip(values, written) {
        #expect(text.stringValue == reference(value, decimals: decimals), "\(value) with \(decimals) decimals")
      }
    }
  }

  private func reference(_ value: Int64, decimals: Int) -> String {
    var digits = String(value.magnitude)
    if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
    if decimals > 0 { digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals)) }
    return (value < 0 ? "-" : "") + digits
  }
}
