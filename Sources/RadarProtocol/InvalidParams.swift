public import JSON

/// One reason params fail their schema: where (a JSON Pointer into the params), what is wrong
/// (a sentence for a person), and the closest valid name or value when one is close.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
  /// RFC 6901 JSON Pointer into the params, e.g. `/aggInterval` or `/series/1/location`; `""` is the params itself.
  public let path: String
  /// For people; already mentions the suggestion (`…; did you mean "CSV"?`).
  public let message: String
  /// The closest valid name or value, rendered by the server as `didYouMean`.
  public let suggestion: String?

  public init(path: String, message: String, suggestion: String? = nil) {
    self.path = path
    self.message = message
    self.suggestion = suggestion
  }

  /// `{"path", "message"}` plus `"didYouMean"` when there is a suggestion: one entry of a -32602 `data.errors`.
  public var json: JSONValue {
    var object: JSONObject = ["path": .string(path), "message": .string(message)]
    if let suggestion { object["didYouMean"] = .string(suggestion) }
    return .object(object)
  }

  public var description: String { "\(path.isEmpty ? "params" : path): \(message)" }

  /// A string at `path` that is not valid Unicode: it held a lone UTF-16 surrogate escape, which
  /// RFC 8259's grammar allows but no text can carry (contract §3).
  public static func notUnicode(_ path: String) -> Violation {
    Violation(path: path, message: "is not valid Unicode: it holds a lone UTF-16 surrogate escape (such as \\ud83c)")
  }
}

/// Params that fail the method's schema: every violation found, not just the first, so a
/// client can fix a request in one round trip. The server answers it with -32602.
public struct InvalidParams: Error, Sendable, Equatable, CustomStringConvertible {
  public let violations: [Violation]

  public init(violations: [Violation]) { self.violations = violations }

  /// The -32602 `data` member: `{"errors": [{"path", "message", "didYouMean"?}, …]}`.
  public var data: JSONValue { .object(["errors": .array(violations.map(\.json))]) }

  public var description: String { violations.map(\.description).joined(separator: "; ") }
}
