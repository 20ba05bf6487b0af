/// A JSON number that keeps its literal text.
///
/// Keeping the text (rather than a `Double`) lets ids and large integers round-trip exactly,
/// and leaves the choice of numeric type to whoever reads the value.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The number as written in JSON (a valid JSON number literal).
  public let literal: String

  /// Wraps a literal the parser has already checked against the JSON number grammar.
  init(unchecked literal: String) { self.literal = literal }

  public init(_ value: Int) { literal = String(value) }

  /// A finite double; non-finite values (which JSON cannot carry) become `0`.
  public init(_ value: Double) {
    guard value.isFinite else {
      literal = "0"
      return
    }
    if value == value.rounded(), abs(value) < 1e15 {
      literal = String(Int(value))
    } else {
      literal = "\(value)"
    }
  }

  /// A number from JSON text, or `nil` when `literal` is not a JSON number.
  public init?(literal: String) {
    var copy = literal
    let valid = copy.withUTF8 { JSONNumber.isValidLiteral($0) }
    guard valid else { return nil }
    self.literal = literal
  }

  public var description: String { literal }

  /// The value as an `Int` when it is mathematically an integer in range (`10`, `10.0`, `1e3`).
  public var intValue: Int? {
    if let i = Int(literal) { return i }
    guard let d = Double(literal), d.isFinite, d == d.rounded(), abs(d) < 9.0e18 else { return nil }
    return Int(d)
  }

  /// The value as a `Double` (may be infinite for literals beyond its range, such as `1e400`).
  public var doubleValue: Double? { Double(literal) }

  /// True when the number has no fractional part (JSON Schema's `integer`: `1.0` is one).
  public var isInteger: Bool {
    if Int(literal) != nil { return true }
    guard let d = Double(literal), d.isFinite else { return false }
    return d == d.rounded()
  }

  /// Checks `bytes` against the JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  static func isValidLiteral(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    func digit(_ i: Int) -> Bool { i < n && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
    if i < n, bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard digit(i) else { return false }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      while digit(i) { i += 1 }
    }
    if i < n, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard digit(i) else { return false }
      while digit(i) { i += 1 }
    }
    if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard digit(i) else { return false }
      while digit(i) { i += 1 }
    }
    return i == n
  }
}
