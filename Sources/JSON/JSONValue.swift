/// A JSON value, exactly as it appeared on the wire.
///
/// radar-rpc owns its JSON model instead of going through `JSONSerialization` because the
/// protocol depends on details Foundation blurs: a request id `"1"` must come back as a
/// string and `1` as a number, `true` must never be taken for the number 1 (Foundation
/// bridges both to `NSNumber`), and a number like `1e400` or a 30-digit id must survive a
/// round trip. Numbers therefore keep their literal text (``JSONNumber``) and objects keep
/// their members in order (``JSONObject``).
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(JSONNumber)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

extension JSONValue {
  /// The JSON type name, as JSON Schema spells it ("null", "boolean", "number", "string", "array", "object").
  public var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "boolean"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }

  /// The member `key` when this is an object, else `nil`.
  public subscript(key: String) -> JSONValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The number as an `Int` when it is an integer that fits (`10`, `10.0`, `1e3`); never for `true`.
  public var intValue: Int? {
    if case .number(let n) = self { return n.intValue }
    return nil
  }

  public var doubleValue: Double? {
    if case .number(let n) = self { return n.doubleValue }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
  public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(uniqueMembers: elements.map { JSONObject.Member($0.0, $0.1) }))
    assert(Set(elements.map(\.0)).count == elements.count, "duplicate key in a JSON object literal")
  }
}

extension JSONValue: CustomStringConvertible {
  /// Compact JSON text.
  public var description: String { JSONWriter.string(self) }
}
