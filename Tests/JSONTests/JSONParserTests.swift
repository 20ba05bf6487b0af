import Testing

@testable import JSON

@Suite struct JSONParserTests {
  func parse(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws -> JSONValue {
    try JSONParser.parse(text, maxDepth: maxDepth)
  }

  func error(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError.Kind? {
    do {
      _ = try JSONParser.parse(text, maxDepth: maxDepth)
      return nil
    } catch {
      return error.kind
    }
  }

  func errorOfBytes(_ bytes: [UInt8]) -> JSONParseError.Kind? {
    do {
      _ = try JSONParser.parse(bytes)
      return nil
    } catch {
      return error.kind
    }
  }

  @Test func scalars() throws {
    #expect(try parse("null") == .null)
    #expect(try parse(" true ") == .bool(true))
    #expect(try parse("false") == .bool(false))
    #expect(try parse("\"hi\"") == .string("hi"))
    #expect(try parse("0") == .number(JSONNumber(0)))
    #expect(try parse("-12.5e3").doubleValue == -12500)
  }

  @Test func trueIsNeverOne() throws {
    let t = try parse("true")
    #expect(t.intValue == nil)
    #expect(t != .number(JSONNumber(1)))
    let one = try parse("1")
    #expect(one.boolValue == nil)
    #expect(one.intValue == 1)
  }

  @Test func numbersKeepTheirLiteral() throws {
    let big = "123456789012345678901234567890"
    #expect(try parse(big) == .number(JSONNumber(literal: big)!))
    #expect(JSONWriter.string(try parse(big)) == big)
    #expect(JSONWriter.string(try parse("1e400")) == "1e400")
    #expect(try parse("1e400").doubleValue == .infinity)
    #expect(try parse("1.0").intValue == 1)
    #expect(try parse("1.5").intValue == nil)
  }

  @Test(arguments: ["01", "1.", ".5", "-", "1e", "+1", "1e+", "--1", "0x10", "1.2.3", "NaN", "Infinity"])
  func invalidNumbers(text: String) {
    #expect(error(text) != nil)
  }

  @Test func objectsKeepOrderAndCompareByContent() throws {
    let a = try parse(#"{"b":1,"a":[true,null]}"#)
    #expect(a.objectValue?.keys == ["b", "a"])
    #expect(a == (try parse(#"{"a":[true,null],"b":1}"#)))
    #expect(a.hashValue == (try parse(#"{"a":[true,null],"b":1}"#)).hashValue)
    #expect(a != (try parse(#"{"a":[null,true],"b":1}"#)))
  }

  @Test func duplicateKeysAreReported() {
    #expect(error(#"{"id":1,"id":2}"#) == .duplicateKey("id"))
    // Past the linear-scan threshold too.
    let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    #expect(error("{\(many),\"k7\":0}") == .duplicateKey("k7"))
    #expect(error("{\(many)}") == nil)
  }

  /// A top-level array's element that repeats a key is set aside rather than failing the whole
  /// text (JSON-RPC 2.0 §6 answers a batch that is JSON one element at a time; RFC 8259 §4 only
  /// says names SHOULD be unique): its position, the error and its bytes are reported, and it reads
  /// as `null`. Text that is not JSON still fails whole.
  @Test func arrayElementsThatRepeatAKeyAreSetAside() throws {
    func marked(_ text: String) throws -> JSONParser.MarkedValue {
      try JSONParser.parseMarkingLoneSurrogates(Array(text.utf8), isolatingArrayElements: true)
    }
    let text = #"[{"id":1,"m":"a","m":"b"}, {"id":2,"p":{"x":1,"x":[2]}} ,{"id":3}, 4, [{"k":1,"k":1}]]"#
    let batch = try marked(text)
    #expect(batch.value == [.null, .null, ["id": 3], 4, .null])
    #expect(batch.unusableElements.map(\.position) == [0, 1, 4])
    #expect(batch.unusableElements.map(\.error.kind) == [.duplicateKey("m"), .duplicateKey("x"), .duplicateKey("k")])
    let bytes = Array(text.utf8)
    #expect(
      batch.unusableElements.map { String(decoding: bytes[$0.byteRange], as: UTF8.self) } == [
        #"{"id":1,"m":"a","m":"b"}"#, #"{"id":2,"p":{"x":1,"x":[2]}}"#, #"[{"k":1,"k":1}]"#,
      ])
    // Past the linear-scan threshold of keys too.
    let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    #expect(try marked("[{\(many),\"k7\":0},{}]").unusableElements.map(\.position) == [0])
    // Lone surrogates are located in the elements kept, not in those set aside.
    let surrogates = try marked(#"[{"s":"\ud800","b":1,"b":2},{"t":"\ud800"}]"#)
    #expect(surrogates.loneSurrogates == ["/1/t"])
    #expect(surrogates.unusableElements.map(\.position) == [0])
    // Whole-text failures stay: without the option, a top-level object, and text that is not JSON
    // (inside the element set aside or after it).
    #expect(error(#"[{"a":1,"a":2}]"#) == .duplicateKey("a"))
    #expect(throws: JSONParseError.self) { try marked(#"{"a":1,"a":2}"#) }
    #expect(throws: JSONParseError.self) { try marked(#"[{"a":1,"a":2,}]"#) }
    #expect(throws: JSONParseError.self) { try marked(#"[{"a":1,"a":2},]"#) }
    #expect(try marked(#"[{"a":1},{"b":[1,{}]}]"#).unusableElements.isEmpty)
  }

  @Test func escapesAndUnicode() throws {
    #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
    #expect(try parse("\"é😀\"") == .string("é😀"))
    #expect(error(#""\ud83d""#) == .loneSurrogate)
    #expect(error(#""\ude00""#) == .loneSurrogate)
    #expect(error(#""\ud83d\u0041""#) == .loneSurrogate)
    #expect(error(#""\x""#) == .invalidEscape)
    #expect(error(#""\u12g4""#) == .invalidEscape)
    #expect(error("\"a\nb\"") == .controlCharacterInString)
  }

  @Test func invalidUTF8IsAnError() {
    #expect(errorOfBytes([0x22, 0xFF, 0x22]) == .invalidUTF8)
    #expect(errorOfBytes([0x22, 0xC3, 0x22]) == .invalidUTF8)  // truncated sequence
    #expect(errorOfBytes([0x22, 0xED, 0xA0, 0x80, 0x22]) == .invalidUTF8)  // encoded surrogate
    #expect(errorOfBytes([0x22, 0x5C, 0x6E, 0xFF, 0x22]) == .invalidUTF8)  // after an escape
    #expect(errorOfBytes([0xFF]) != nil)
  }

  @Test func deepNestingIsBoundedNotACrash() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(error(deep) == .tooDeep(limit: JSONParser.defaultMaxDepth))
    let objects = String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000)
    #expect(error(objects) == .tooDeep(limit: JSONParser.defaultMaxDepth))
    #expect(error("[[[1]]]", maxDepth: 3) == nil)
    #expect(error("[[[[1]]]]", maxDepth: 3) == .tooDeep(limit: 3))
  }

  @Test func truncatedAndTrailing() {
    for text in ["", "   ", "{", "[1,", #"{"a""#, #"{"a":"#, "\"abc", "tru", "nul", "[1 2]", "{\"a\" 1}", "{1:2}"] {
      #expect(error(text) != nil, "\(text)")
    }
    #expect(error("{} x") == .trailingData)
    #expect(error("{}{}") == .trailingData)
    #expect(error("") == .empty)
  }
}

@Suite struct JSONWriterTests {
  @Test func roundTrip() throws {
    let text = #"{"jsonrpc":"2.0","id":"1","result":{"a":[1,2.5,-3e7,true,false,null],"s":"é\"\\\n\u0001"}}"#
    let value = try JSONParser.parse(text)
    let written = JSONWriter.string(value)
    #expect(try JSONParser.parse(written) == value)
    #expect(written.contains(#""id":"1""#))
    #expect(written.contains(#"\u0001"#))
    #expect(!written.contains("\n"))
  }

  @Test func literalsAndBuilders() {
    let value: JSONValue = ["a": 1, "b": [true, nil, "x"], "c": 2.5]
    #expect(JSONWriter.string(value) == #"{"a":1,"b":[true,null,"x"],"c":2.5}"#)
    #expect(JSONWriter.string(.number(JSONNumber(3.0))) == "3")
    #expect(JSONWriter.string(.number(JSONNumber(Double.nan))) == "0")
  }
}

@Suite struct JSONWriterEscapingTests {
  /// Escapes land at every offset around the 8-byte words the writer scans.
  @Test func escapesAtEveryPosition() throws {
    for length in 0..<24 {
      for position in 0..<max(1, length) {
        for special in ["\"", "\\", "\n", "\u{01}", "é"] {
          var chars = Array(repeating: "a", count: length)
          if length > 0 { chars[position] = special }
          let text = chars.joined()
          let written = JSONWriter.string(.string(text))
          #expect(try JSONParser.parse(written) == .string(text), "\(length) \(position) \(special.debugDescription)")
          #expect(!written.dropFirst().dropLast().contains("\n"))
        }
      }
    }
  }

  @Test func integersHashLikeTheirText() throws {
    let parsed = try JSONParser.parse("[1, -12, 0, 7]")
    guard case .array(let values) = parsed else { return }
    #expect(values[0] == .number(JSONNumber(1)))
    #expect(values[0].hashValue == JSONValue.number(JSONNumber(1)).hashValue)
    #expect(values[1].hashValue == JSONValue.number(JSONNumber(-12)).hashValue)
    #expect(values[2] == .number(JSONNumber(0)))
    #expect(JSONNumber.canonicalInteger("-0") == nil)
    #expect(JSONNumber.canonicalInteger("01") == nil)
    #expect(JSONNumber.canonicalInteger("1.0") == nil)
    #expect(JSONNumber.canonicalInteger("123") == 123)
    #expect(JSONValue.number(JSONNumber(literal: "1.0")!) != .number(JSONNumber(1)))
  }

  /// A memoised top-level member: its bytes as sent, the same value recalled for the same bytes,
  /// and everything else (errors included) as without the memo.
  @Test func memoisedMember() throws {
    var memo = JSONParser.MemberMemo(member: "params", maxEntries: 2)
    func parse(_ text: String) throws -> JSONParser.MarkedValue {
      try JSONParser.parseMarkingLoneSurrogates(Array(text.utf8), memo: &memo)
    }
    let text = #"{"id":1, "params" : {"a": [1, "x}\"]"]} ,"inner":{"params":2}}"#
    for round in 0..<2 {
      let marked = try parse(text)
      #expect(try marked.value == JSONParser.parse(text))
      #expect(marked.memberBytes.map { String(decoding: $0, as: UTF8.self) } == #"{"a": [1, "x}\"]"]}"#)
      #expect(memo.count == 1, "round \(round)")
    }
    // The same bytes followed by something invalid, or inside a batch, or with a lone surrogate.
    #expect(throws: JSONParseError.self) { try parse(#"{"params":{"a": [1, "x}\"]"]},}"#) }
    #expect(throws: JSONParseError.self) { try parse(#"{"params":{"a": [1, "x}\"]"]}"#) }
    #expect(try parse(#"[{"params":{"a":1,"bbbbbbbbbbb":2}}]"#).memberBytes == nil)
    #expect(try parse(#"{"x":{"params":[1,2,3,4,5,6,7,8,9]}}"#).memberBytes == nil)
    #expect(try parse(#"{"params":{}}"#).memberBytes == nil)
    let lone = try parse(#"{"params":["\ud83c","xxxxxxxx"]}"#)
    #expect(lone.loneSurrogates == ["/params/0"])
    #expect(memo.count == 1)
    // Scalars are not memoised; the bound holds.
    #expect(try parse(#"{"params":5}"#).memberBytes == nil)
    for n in 0..<5 { _ = try parse(#"{"params":[\#(n),"xxxxxxxxxxxxxxx"]}"#) }
    #expect(memo.count <= 2)
    #expect(try parse(#"{"params":[4,"xxxxxxxxxxxxxxx"]}"#).value == ["params": [4, "xxxxxxxxxxxxxxx"]])
  }

  /// Lone surrogates read as U+FFFD, with the JSON Pointer of each string (contract §3).
  @Test func loneSurrogatesAreMarkedWhereTheyAre() throws {
    func marked(_ text: String) throws -> JSONParser.MarkedValue {
      try JSONParser.parseMarkingLoneSurrogates(Array(text.utf8))
    }
    let plain = try marked(#"{"a":["x","\ud83c\udf0d"]}"#)
    #expect(plain.loneSurrogates.isEmpty)
    #expect(plain.value == ["a": ["x", "🌍"]])

    let one = try marked(#"{"jsonrpc":"2.0","id":1,"params":{"name":"\ud83c"}}"#)
    #expect(one.loneSurrogates == ["/params/name"])
    #expect(one.value["params"]?["name"] == "\u{FFFD}")

    let many = try marked(#"[{"a/b":["ok","x\udc00y"]},{"\ud800":1,"t~":"\ud83d\u0041"}]"#)
    #expect(many.loneSurrogates == ["/0/a~1b/1", "/1/\u{FFFD}", "/1/t~0"])
    let elements = many.value.arrayValue ?? []
    #expect(elements.last?["t~"] == "\u{FFFD}A")
    #expect(elements.first?["a/b"]?.arrayValue?.last == "x\u{FFFD}y")

    // Everything else is as strict as ever, and the plain parser still refuses lone surrogates.
    #expect(throws: JSONParseError.self) { try marked(#"{"a":"\ud83c"#) }
    #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"name":"\ud83c"}"#) }
  }
}
