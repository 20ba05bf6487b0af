public import JSON

/// A JSON-RPC request id, kept exactly as the client sent it.
///
/// The string `"1"` and the number `1` are different ids and come back as they came in;
/// numbers keep their literal text. `null` is a legal (if discouraged) id and is answered.
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
  case number(JSONNumber)
  case string(String)
  case null

  /// The id member of a message, or `nil` when `value` is not a legal id type.
  public init?(_ value: JSONValue) {
    switch value {
    case .number(let n): self = .number(n)
    case .string(let s): self = .string(s)
    case .null: self = .null
    default: return nil
    }
  }

  public var json: JSONValue {
    switch self {
    case .number(let n): .number(n)
    case .string(let s): .string(s)
    case .null: .null
    }
  }

  public var description: String { JSONWriter.string(json) }
}
