/// Makes text safe for one log line (contract §7: one event is one line, control characters
/// shown as escapes).
///
/// Log lines quote text from outside — method names, ids, upstream messages — and such text
/// may hold a newline that would forge a second log event, or a terminal escape sequence.
/// Every character that could do either is written as an escape instead: `\n`, `\r`, `\t`,
/// and `\u{…}` (hexadecimal) for the other C0 and C1 controls, DEL, the Unicode line and
/// paragraph separators and the bidirectional overrides and isolates. Everything else,
/// backslashes included, is kept as it is.
public enum LogEscaping {
  /// `text` with every character that could break or disguise a log line escaped.
  public static func escaped(_ text: String) -> String {
    // Fast path: printable ASCII only, which is nearly every line.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where needsEscape(scalar): out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: true  // C0 controls, DEL, C1 controls
    case 0x2028, 0x2029: true  // line and paragraph separators
    case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidirectional marks and overrides
    default: false
    }
  }
}
