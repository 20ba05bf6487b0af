/// Why a byte sequence is not acceptable JSON, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case empty
    case unexpectedEnd
    case unexpectedByte(UInt8)
    case invalidNumber
    case invalidEscape
    case controlCharacterInString
    case invalidUTF8
    case loneSurrogate
    case tooDeep(limit: Int)
    /// The same key twice in one object: legal JSON text, but ambiguous as a message.
    case duplicateKey(String)
    case trailingData
  }

  public let kind: Kind
  /// Byte offset into the input where the problem was found.
  public let offset: Int

  public init(_ kind: Kind, at offset: Int) {
    self.kind = kind
    self.offset = offset
  }

  /// True for problems of meaning rather than syntax (the text parses, but cannot be used as is).
  public var isSemantic: Bool {
    if case .duplicateKey = kind { return true }
    return false
  }

  public var description: String {
    switch kind {
    case .empty: "empty input"
    case .unexpectedEnd: "unexpected end of input at byte \(offset)"
    case .unexpectedByte(let b):
      if b >= 0x20 && b < 0x7f {
        "unexpected character '\(Character(Unicode.Scalar(b)))' at byte \(offset)"
      } else {
        "unexpected byte 0x\(String(b, radix: 16)) at byte \(offset)"
      }
    case .invalidNumber: "invalid number at byte \(offset)"
    case .invalidEscape: "invalid escape sequence in string at byte \(offset)"
    case .controlCharacterInString: "unescaped control character in string at byte \(offset)"
    case .invalidUTF8: "invalid UTF-8 at byte \(offset)"
    case .loneSurrogate: "unpaired UTF-16 surrogate in \\u escape at byte \(offset)"
    case .tooDeep(let limit): "nesting deeper than \(limit) levels at byte \(offset)"
    case .duplicateKey(let key): "duplicate key \"\(key)\" at byte \(offset)"
    case .trailingData: "unexpected data after the JSON value at byte \(offset)"
    }
  }
}
