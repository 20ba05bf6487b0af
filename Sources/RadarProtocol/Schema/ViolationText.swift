import JSON

/// The wording of violation messages, in one place so every message reads the same way:
/// what the value must be, what it was, and what it probably should be.
enum ViolationText {
  /// `"7dControl"`, `5`, `true`, `null`, `an array`, `an object`; long strings are cut.
  static func shortDescription(of value: JSONValue) -> String {
    switch value {
    case .string(let s):
      let cut = s.count > 60 ? String(s.prefix(57)) + "…" : s
      return JSONWriter.string(.string(cut))
    case .number(let n): return n.literal
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array: return "an array"
    case .object: return "an object"
    case .encoded(let encoded): return shortDescription(of: encoded.decoded)
    }
  }

  static func got(_ value: JSONValue) -> String { " (got \(shortDescription(of: value)))" }

  /// `15m, 1h, 1d, 1w`: enum values as a person would list them.
  static func list(_ values: [JSONValue]) -> String {
    values.map { $0.stringValue ?? JSONWriter.string($0) }.joined(separator: ", ")
  }

  static func didYouMean(_ suggestion: String?) -> String {
    guard let suggestion else { return "" }
    return "; did you mean \(JSONWriter.string(.string(suggestion)))?"
  }

  /// `2`, `2.5`: a bound without a spurious `.0`.
  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e18 ? String(Int(value)) : String(value)
  }

  /// `unknown parameter "loction"; did you mean "location"?`, suggesting the closest of `names`.
  static func unknown(_ what: String, _ key: String, among names: [String], at path: String) -> Violation {
    let suggestion = Suggestions.closest(to: key, among: names).first
    return Violation(
      path: path, message: "unknown \(what) \(shortDescription(of: .string(key)))\(didYouMean(suggestion))",
      suggestion: suggestion)
  }
}
