/// A JSON number that keeps its literal text.
///
/// Keeping the text (rather than a `Double`) lets ids and large integers round-trip exactly,
/// and leaves the choice of numeric type to whoever reads the value.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// Integers made by the server (counters, codes) stay machine integers until they are
  /// written: no `String` is made for them. So do integers read from the wire in their canonical
  /// spelling (`12`, `-3`: the text is exactly what writing the integer gives back); every other
  /// literal read keeps its text.
  enum Storage: Sendable {
    case integer(Int)
    case text(String)
  }

  let storage: Storage

  /// The number as written in JSON (a valid JSON number literal).
  public var literal: String {
    switch storage {
    case .integer(let i): String(i)
    case .text(let text): text
    }
  }

  /// Wraps a literal the parser has already checked against the JSON number grammar.
  init(unchecked literal: String) { storage = .text(literal) }

  public init(_ value: Int) { storage = .integer(value) }

  /// A finite double; non-finite values (which JSON cannot carry) become `0`.
  public init(_ value: Double) {
    guard value.isFinite else {
      storage = .integer(0)
      return
    }
    if value == value.rounded(), abs(value) < 1e15 {
      storage = .integer(Int(value))
    } else {
      storage = .text("\(value)")
    }
  }

  /// A number from JSON text, or `nil` when `literal` is not a JSON number.
  public init?(literal: String) {
    var copy = literal
    let valid = copy.withUTF8 { JSONNumber.isValidLiteral($0) }
    guard valid else { return nil }
    storage = .text(literal)
  }

  public var description: String { literal }

  /// Numbers are equal when their literals are (`1` and `1.0` are different ids).
  public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
    if case .integer(let a) = lhs.storage, case .integer(let b) = rhs.storage { return a == b }
    return lhs.literal == rhs.literal
  }

  /// Consistent with `==`: an integer and its decimal text hash alike, without making a string.
  public func hash(into hasher: inout Hasher) {
    switch storage {
    case .integer(let i): hasher.combine(i)
    case .text(let text):
      if let i = Self.canonicalInteger(text) {
        hasher.combine(i)
      } else {
        hasher.combine(text)
      }
    }
  }

  /// The integer whose canonical decimal spelling is exactly `text` (`"12"`, `"-3"`, not `"012"`,
  /// `"1.0"` or `"-0"`), without making a string; `nil` otherwise.
  static func canonicalInteger(_ text: String) -> Int? { canonicalInteger(utf8: text.utf8) }

  /// ``canonicalInteger(_:)`` of UTF-8 bytes (the parser's literal, before any `String` is made).
  @inline(__always)
  static func canonicalInteger(utf8: some Sequence<UInt8>) -> Int? {
    var value = 0
    var negative = false
    var digits = 0
    var leadingZero = false
    for b in utf8 {
      if b == UInt8(ascii: "-"), digits == 0, !negative {
        negative = true
        continue
      }
      guard b >= 0x30, b <= 0x39, digits < 18, !leadingZero else { return nil }
      if digits == 0, b == 0x30 { leadingZero = true }
      value = value * 10 + Int(b - 0x30)
      digits += 1
    }
    guard digits > 0, !(negative && value == 0) else { return nil }
    return negative ? -value : value
  }

  /// The value as an `Int` when it is mathematically an integer in range (`10`, `10.0`, `1e3`).
  public var intValue: Int? {
    if case .integer(let i) = storage { return i }
    if let i = Int(literal) { return i }
    guard let d = Double(literal), d.isFinite, d == d.rounded(), abs(d) < 9.0e18 else { return nil }
    return Int(d)
  }

  /// The value as a `Double` (may be infinite for literals beyond its range, such as `1e400`).
  public var doubleValue: Double? { Double(literal) }

  /// True when the number has no fractional part (JSON Schema's `integer`: `1.0` is one).
  public var isInteger: Bool {
    if case .integer = storage { return true }
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
