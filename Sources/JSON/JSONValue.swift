/// A JSON value, exactly as it appeared on the wire.
///
/// radar-rpc owns its JSON model instead of going through `JSONSerialization` because the
/// protocol depends on details Foundation blurs: a request id `"1"` must come back as a
/// string and `1` as a number, `true` must never be taken for the number 1 (Foundation
/// bridges both to `NSNumber`), and a number like `1e400` or a 30-digit id must survive a
/// round trip. Numbers therefore keep their literal text (``JSONNumber``) and objects keep
/// their members in order (``JSONObject``).
///
/// A value that was already written once can travel as ``encoded(_:)``: the writer splices its
/// bytes, and everything else sees the value it holds (accessors, equality, hashing decode it).
public enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case number(JSONNumber)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
  /// A value written once by ``JSONWriter`` (see ``EncodedJSON``).
  case encoded(EncodedJSON)
}

extension JSONValue: Hashable {
  /// JSON equality: an ``encoded(_:)`` value equals the value it holds.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.number(let a), .number(let b)): a == b
    case (.string(let a), .string(let b)): a == b
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)): a == b
    case (.encoded(let a), .encoded(let b)): a == b
    case (.encoded(let a), _): a.decoded == rhs
    case (_, .encoded(let b)): lhs == b.decoded
    default: false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b):
      hasher.combine(1)
      hasher.combine(b)
    case .number(let n):
      hasher.combine(2)
      hasher.combine(n)
    case .string(let s):
      hasher.combine(3)
      hasher.combine(s)
    case .array(let a):
      hasher.combine(4)
      hasher.combine(a)
    case .object(let o):
      hasher.combine(5)
      hasher.combine(o)
    case .encoded(let e): e.decoded.hash(into: &hasher)
    }
  }

  /// The value with an ``encoded(_:)`` top level decoded (for pattern matching); others as they are.
  public var resolved: JSONValue {
    if case .encoded(let e) = self { return e.decoded }
    return self
  }
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
    case .encoded(let e):
      switch e.leadingByte {
      case UInt8(ascii: "{"): "object"
      case UInt8(ascii: "["): "array"
      case UInt8(ascii: "\""): "string"
      case UInt8(ascii: "t"), UInt8(ascii: "f"): "boolean"
      case UInt8(ascii: "n"): "null"
      default: "number"
      }
    }
  }

  /// The member `key` when this is an object, else `nil`.
  public subscript(key: String) -> JSONValue? {
    if case .object(let object) = resolved { return object[key] }
    return nil
  }

  public var stringValue: String? {
    if case .string(let s) = resolved { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = resolved { return b }
    return nil
  }

  /// The number as an `Int` when it is an integer that fits (`10`, `10.0`, `1e3`); never for `true`.
  public var intValue: Int? {
    if case .number(let n) = resolved { return n.intValue }
    return nil
  }

  public var doubleValue: Double? {
    if case .number(let n) = resolved { return n.doubleValue }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = resolved { return a }
    return nil
  }

  public var objectValue: JSONObject? {
    if case .object(let o) = resolved { return o }
    return nil
  }

  public var isNull: Bool {
    if case .null = resolved { return true }
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
