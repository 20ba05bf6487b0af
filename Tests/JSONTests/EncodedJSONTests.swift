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
