import JSON

/// The id of a message whose text could not be used, when it can be read without doubt.
///
/// Contract §3 (the -32700 row): "a request whose id was readable is answered with that id
/// whatever else is wrong with it" — a client can only match an error to its call by the id, and
/// JSON-RPC 2.0 §5 answers `null` only "if there was an error in detecting the id". So when a
/// message is not JSON, nests too deep or repeats a key, its top-level object is scanned member
/// by member from the start, and an `id` member is read only when everything up to it is
/// well-formed and it is followed by the next member (`,` then `"`) or by the end of the object and
/// of the text:
/// an id cut off or damaged in transit (`"id":12` of `"id":123`) stays unread, so it cannot answer
/// somebody else's request. The id is not read (`nil`, answered with id `null`) when:
/// - the text is not an object (a batch, a scalar), or damage comes before the `id` member ends;
/// - the object has two `id` members before the damage (which one would it be?);
/// - the value is not an id (an object, an array, `true`) or is a string with a lone surrogate.
public enum ReadableID {
  /// The readable id of `bytes` (one message body), or `nil`.
  public static func scan(_ bytes: UnsafeRawBufferPointer) -> RequestID? {
    var scanner = Scanner(bytes: bytes)
    return scanner.topLevelID()
  }

  /// `[UInt8]` convenience for ``scan(_:)-(UnsafeRawBufferPointer)``.
  public static func scan(_ bytes: [UInt8]) -> RequestID? {
    bytes.withUnsafeBytes { scan($0) }
  }

  private struct Scanner {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
      while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    /// Walks the members of the top-level object; stops at the first damage.
    mutating func topLevelID() -> RequestID? {
      skipWhitespace()
      guard current == UInt8(ascii: "{") else { return nil }
      position += 1
      var found: RequestID?? = nil  // .some(nil): an `id` whose value is not an id
      while true {
        skipWhitespace()
        guard let keyRange = skipString() else { return found ?? nil }
        let isID = isIDKey(keyRange)
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { return found ?? nil }
        position += 1
        skipWhitespace()
        let valueStart = position
        guard skipValue() else { return found ?? nil }
        let valueEnd = position
        skipWhitespace()
        // The end of the object counts only as the end of the text: a `}` with more behind it may
        // close a nested object whose `id` damage lifted to the top (`"params":{"id":3}},"id":7}`).
        var closesObject = false
        if current == UInt8(ascii: "}") {
          var lookahead = self
          lookahead.position += 1
          lookahead.skipWhitespace()
          closesObject = lookahead.current == nil
        }
        var nextMember = false
        if current == UInt8(ascii: ",") {
          var lookahead = self
          lookahead.position += 1
          lookahead.skipWhitespace()
          nextMember = lookahead.current == UInt8(ascii: "\"")
        }
        if isID {
          guard closesObject || nextMember, found == nil else { return nil }  // cut off, or a second `id`
          found = .some(id(from: valueStart..<valueEnd))
        }
        guard nextMember else { return found ?? nil }
        position += 1
      }
    }

    /// Whether a member name is `id`, escapes decoded (`"\u0069d"` is `id` too).
    private func isIDKey(_ range: Range<Int>) -> Bool {
      let inside = bytes[range.lowerBound + 1..<range.upperBound - 1]
      guard inside.contains(UInt8(ascii: "\\")) else { return inside.elementsEqual("id".utf8) }
      let key = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: 1)
      return key == .string("id")
    }

    /// The id a value's text holds: a string, a number or `null`, read by the real parser (so a
    /// lone surrogate or an invalid number is no id).
    private func id(from range: Range<Int>) -> RequestID? {
      guard let value = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: 1)
      else { return nil }
      return RequestID(value)
    }

    /// Skips a string; returns its range with the quotes, or `nil` at damage (no closing quote).
    private mutating func skipString() -> Range<Int>? {
      guard current == UInt8(ascii: "\"") else { return nil }
      let start = position
      position += 1
      while let byte = current {
        position += 1
        if byte == UInt8(ascii: "\"") { return start..<position }
        if byte == UInt8(ascii: "\\") { position += 1 }
        if byte < 0x20 { return nil }
      }
      return nil
    }

    /// Skips one value of any kind, nested containers by counting brackets outside strings; the
    /// value's inside is checked only as far as finding where it ends (the parser has already
    /// said what is wrong with the text, and that is answered with the id if there is one).
    private mutating func skipValue() -> Bool {
      guard let first = current else { return false }
      switch first {
      case UInt8(ascii: "\""):
        return skipString() != nil
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        var depth = 0
        while let byte = current {
          switch byte {
          case UInt8(ascii: "\""):
            guard skipString() != nil else { return false }
            continue
          case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
          case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 0 {
              position += 1
              return true
            }
          default: break
          }
          position += 1
        }
        return false
      default:
        let start = position
        while let byte = current, Self.scalarByte(byte) { position += 1 }
        return position > start
      }
    }

    /// Bytes of a number or a literal (`true`, `false`, `null`).
    private static func scalarByte(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "E"):
        return true
      default: return false
      }
    }
  }
}
