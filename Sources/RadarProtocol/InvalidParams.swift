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

  /// `path` longer than ``maxPathCharacters`` is cut and ends in `…` (a member name is the
  /// client's text, and an answer must stay small whatever the request held: contract §7).
  public init(path: String, message: String, suggestion: String? = nil) {
    self.path = path.count > Self.maxPathCharacters ? String(path.prefix(Self.maxPathCharacters - 1)) + "…" : path
    self.message = message
    self.suggestion = suggestion
  }

  /// The longest `path` kept whole, in characters.
  public static let maxPathCharacters = 256

  /// `{"path", "message"}` plus `"didYouMean"` when there is a suggestion: one entry of a -32602 `data.errors`.
  public var json: JSONValue {
    var object: JSONObject = ["path": .string(path), "message": .string(message)]
    if let suggestion { object["didYouMean"] = .string(suggestion) }
    return .object(object)
  }

  /// `/aggInterval: must be one of …`; a message about the params as a whole (path `""`) is a
  /// sentence of its own (`params must be an object …`).
  public var description: String { path.isEmpty ? message : "\(path): \(message)" }

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

  /// The -32602 `data` member: `{"errors": [{"path", "message", "didYouMean"?}, …]}`, the first
  /// ``maxListed`` violations (the message counts them all): an answer stays small whatever the
  /// request held (contract §7).
  public var data: JSONValue { .object(["errors": .array(violations.prefix(Self.maxListed).map(\.json))]) }

  /// How many violations `data.errors` lists at most.
  public static let maxListed = 100

  public var description: String { violations.map(\.description).joined(separator: "; ") }
}
