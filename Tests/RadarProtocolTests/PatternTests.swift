import Testing

@testable import RadarProtocol

@Suite("Patterns")
struct PatternTests {
  static let dateRange =
    "^((([1-9]|[1-9][0-9]|[1-2][0-9][0-9]|3[0-5][0-9]|36[0-4])[d](control)?)|(([1-9]|[1-4][0-9]|5[0-2])[w](control)?))$"

  @Test func radarDateRange() throws {
    let regex = try TinyRegex(Self.dateRange)
    for valid in ["1d", "7d", "7dcontrol", "364d", "52w", "1wcontrol", "99d", "100d"] {
      #expect(regex.matches(valid), "\(valid)")
    }
    for invalid in ["0d", "365d", "53w", "7dControl", "7", "d", "7dd", "7d ", " 7d", "7h", "07d"] {
      #expect(!regex.matches(invalid), "\(invalid)")
    }
  }

  @Test func subset() throws {
    #expect(try TinyRegex("a+b*c?").matches("xaacz"))
    #expect(try TinyRegex("^a{2,3}$").matches("aaa"))
    #expect(try !TinyRegex("^a{2,3}$").matches("aaaa"))
    #expect(try TinyRegex("^a{2,}$").matches("aaaaa"))
    #expect(try TinyRegex(#"^\d+(\.\d+)?$"#).matches("52.5532"))
    #expect(try !TinyRegex(#"^\d+(\.\d+)?$"#).matches("52."))
    #expect(try TinyRegex("^[^,]+$").matches("US"))
    #expect(try !TinyRegex("^[^,]+$").matches("US,DE"))
    #expect(try TinyRegex(#"^[a-z0-9\-_]+$"#).matches("serie_0-x"))
    #expect(try TinyRegex("^(?:ab|cd)+$").matches("abcdab"))
    #expect(try TinyRegex("^(a|ab)(c|bcd)$").matches("abcd"))  // needs backtracking into the first group
    #expect(try TinyRegex("^.$").matches("é"))
    #expect(try TinyRegex("^(a?)+$").matches(""))
  }

  @Test func longInputsDoNotRecurseDeeply() throws {
    let long = String(repeating: "1", count: 200_000)
    #expect(try TinyRegex("^[0-9]+$").matches(long))
    #expect(try Pattern("^(12)+$").matches(String(repeating: "12", count: 100_000)))
  }

  @Test func unsupportedSyntaxFallsBackToFoundation() throws {
    #expect(throws: TinyRegex.Unsupported.self) { try TinyRegex(#"^(?=a)a\b"#) }
    let pattern = try Pattern(#"^(?=a)a\b"#)
    #expect(pattern.matches("a b"))
    #expect(!pattern.matches("ab"))
    #expect(throws: DocumentError.self) { try Pattern("(") }
  }
}
