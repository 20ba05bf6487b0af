import JSON
import Testing

@testable import RadarProtocol

@Suite("JSON Schema validator")
struct SchemaValidatorTests {
  func check(_ value: JSONValue, _ schema: JSONValue, components: JSONObject = [:]) throws -> [Violation] {
    try Fixtures.schemaViolations(value, schema, components: components)
  }

  @Test func integerAcceptsIntegralNumbersOnly() throws {
    let schema: JSONValue = ["type": "integer"]
    #expect(try check(Fixtures.json("1.0"), schema).isEmpty)
    #expect(try check(Fixtures.json("1e3"), schema).isEmpty)
    #expect(try check(Fixtures.json("1.5"), schema).map(\.message) == ["must be an integer (got 1.5)"])
    #expect(try check(true, schema).map(\.message) == ["must be an integer (got true)"])
  }

  @Test func booleansAreNeverNumbers() throws {
    #expect(try check(true, ["type": "number"]).count == 1)
    #expect(try check(false, ["type": "integer"]).count == 1)
    #expect(try check(1, ["type": "boolean"]).count == 1)
    #expect(try check(1, ["enum": [true]]).count == 1)
  }

  @Test func typeArraysAndNull() throws {
    let schema: JSONValue = ["type": ["string", "integer"]]
    #expect(try check("x", schema).isEmpty)
    #expect(try check(3, schema).isEmpty)
    #expect(try check(nil, schema).map(\.message) == ["must be a string or an integer (got null)"])
  }

  @Test func enumIsExactAndSuggestsCase() throws {
    let schema: JSONValue = ["type": "string", "enum": ["JSON", "CSV"]]
    let violations = try check("csv", schema)
    #expect(
      violations == [
        Violation(path: "", message: #"must be one of JSON, CSV (got "csv"); did you mean "CSV"?"#, suggestion: "CSV")
      ])
    #expect(try check("XML", schema).first?.suggestion == nil)
  }

  @Test func constAndNumbersComparedByValue() throws {
    #expect(try check(429.0, ["const": 429]).isEmpty)
    #expect(try check("csv", ["const": "CSV"]).first?.suggestion == "CSV")
    #expect(try check(2, ["enum": [1, 2.0]]).isEmpty)
  }

  @Test func boundsAndLengths() throws {
    #expect(try check(1, ["minimum": 2]).map(\.message) == ["must be at least 2 (got 1)"])
    #expect(try check(11, ["maximum": 10]).map(\.message) == ["must be at most 10 (got 11)"])
    #expect(try check(2, ["exclusiveMinimum": 2]).count == 1)
    #expect(try check(2.5, ["exclusiveMaximum": 3]).isEmpty)
    #expect(try check("a", ["minLength": 2]).map(\.message) == ["must be at least 2 characters long"])
    #expect(try check("héé", ["maxLength": 3]).isEmpty)  // characters, not bytes
    #expect(try check("abcd", ["maxLength": 3]).count == 1)
    #expect(try check([1], ["minItems": 2]).map(\.message) == ["must have at least 2 elements"])
  }

  @Test func patternIsASearchAndSuggestsCase() throws {
    #expect(try check("xx7dyy", ["pattern": "7d"]).isEmpty)
    let schema: JSONValue = ["type": "string", "pattern": "^[0-9]+d(control)?$", "x-pattern-description": "<n>d"]
    let violations = try check("7dControl", schema)
    #expect(violations.first?.suggestion == "7dcontrol")
    #expect(violations.first?.message == #"must be <n>d (got "7dControl"); did you mean "7dcontrol"?"#)
  }

  @Test func dateTimeFormat() throws {
    let schema: JSONValue = ["type": "string", "format": "date-time"]
    #expect(try check("2024-01-08T00:00:00Z", schema).isEmpty)
    #expect(try check("2024-01-08T00:00:00.123+05:30", schema).isEmpty)
    let violations = try check("2024-01-08", schema)
    #expect(violations.first?.suggestion == "2024-01-08T00:00:00Z")
    #expect(violations.first?.message.contains("RFC 3339") == true)
    // Formats other than date-time only annotate.
    #expect(try check("not a uri", ["format": "uri"]).isEmpty)
  }

  @Test func everyViolationAtOnceWithPointers() throws {
    let schema: JSONValue = [
      "type": "object",
      "required": ["a", "b"],
      "properties": [
        "a": ["type": "string"],
        "list": ["type": "array", "items": ["type": "integer", "minimum": 0]],
        "a/b": ["type": "string"],
        "m~n": ["type": "string"],
      ],
      "additionalProperties": false,
    ]
    let value: JSONValue = ["a": 1, "list": [0, -1, "x"], "a/b": 2, "m~n": 3, "lsit": []]
    let violations = try check(value, schema)
    #expect(Set(violations.paths) == ["/b", "/a", "/list/1", "/list/2", "/a~1b", "/m~0n", "/lsit"])
    let unknown = violations.first { $0.path == "/lsit" }
    #expect(unknown?.suggestion == "list")
    #expect(unknown?.message == #"unknown member "lsit"; did you mean "list"?"#)
    #expect(violations.first { $0.path == "/b" }?.message == "is required")
  }

  @Test func additionalPropertiesSchema() throws {
    let schema: JSONValue = [
      "type": "object", "properties": ["meta": ["type": "object"]], "additionalProperties": ["type": "array"],
    ]
    #expect(try check(["meta": [:], "s": []], schema).isEmpty)
    #expect(try check(["meta": [:], "s": 1], schema).paths == ["/s"])
  }

  @Test func anyOfReportsTheBranchThatFits() throws {
    let element: JSONValue = ["type": "string", "enum": ["HTTP", "ALL"]]
    let schema: JSONValue = ["anyOf": [element, ["type": "array", "items": element]]]
    #expect(try check("HTTP", schema).isEmpty)
    #expect(try check(["HTTP", "ALL"], schema).isEmpty)
    // An array: only the array branch speaks, about the bad element.
    let inArray = try check(["HTTP", "http"], schema)
    #expect(inArray.paths == ["/1"])
    #expect(inArray.first?.suggestion == "HTTP")
    // A scalar: only the scalar branch speaks.
    #expect(try check("Http", schema).paths == [""])
    // No branch takes the type: one message naming what would do.
    #expect(try check(5, schema).map(\.message) == ["must be a string or an array (got 5)"])
  }

  @Test func oneOfRejectsAmbiguity() throws {
    let schema: JSONValue = ["oneOf": [["type": "integer"], ["type": "number"]]]
    #expect(try check(1.5, schema).isEmpty)
    #expect(try check(1, schema).map(\.message) == ["matches more than one of the allowed shapes"])
  }

  @Test func referencesResolveAndCycleSafely() throws {
    let components: JSONObject = [
      "Name": ["type": "string", "minLength": 1],
      "Tree": [
        "type": "object",
        "properties": [
          "children": ["type": "array", "items": ["$ref": "#/components/schemas/Tree"]],
          "name": ["$ref": "#/components/schemas/Name"],
        ],
      ],
    ]
    let tree: JSONValue = ["name": "a", "children": [["name": "b", "children": [["name": ""]]]]]
    #expect(
      try check(tree, ["$ref": "#/components/schemas/Tree"], components: components).paths == [
        "/children/0/children/0/name"
      ])
  }

  @Test func unsupportedKeywordsAndBadReferencesFailToCompile() {
    #expect(throws: DocumentError.self) { try check(1, ["not": ["type": "string"]]) }
    #expect(throws: DocumentError.self) { try check(1, ["$ref": "#/components/schemas/Missing"]) }
    #expect(throws: DocumentError.self) { try check(1, ["$ref": "https://example.com/schema"]) }
    #expect(throws: DocumentError.self) { try check(1, ["typo": 1]) }
  }
}
