/// The forward scan of an LSP body that tells whether its `Content-Length` was too long
/// (contract §2; the rule is protocol/README §Framing's, ``FrameDecoder`` applies it).
///
/// A length too long takes the start of the next frame into the body, and the next frame starts
/// with a header. So the body is split only on that evidence: its first JSON value ends, and what
/// follows it, after whitespace, begins `Content-Length:` or `Content-Type:` (any case) — or,
/// when the body ends first, is a non-empty prefix of one of those names. Anything else (trailing
/// bytes that are not a header, a value that never ends, no value) leaves the body whole.
///
/// The first value is found by structure alone: it starts with `{ [ " - 0-9 t f n`; strings
/// with their escapes and the nesting of `{}` and `[]` (not which bracket closes which) are
/// followed, and a number or literal ends at the first byte no number or literal holds.
///
/// The scan runs forward from the body's start, only as far as the verdict needs: the value, the
/// whitespace after it and at most a header name's bytes. It can be resumed as more of the body
/// arrives (never re-reading a byte), and a split is known as soon as a whole header name follows
/// the value, before the rest of the body has come. Offsets are relative to the body's start.
struct LSPBodyScan {
  enum Verdict: Equatable {
    /// Deliver the body whole.
    case whole
    /// Deliver the first `valueEnd` bytes; the next frame's header follows them.
    case split(valueEnd: Int)
  }

  private enum Phase {
    case leading, value, scalar, afterValue, headerName
  }

  /// Bytes of the body read so far.
  private(set) var scanned = 0
  /// The verdict, once bytes still to come cannot change it.
  private(set) var verdict: Verdict? = nil
  private var phase = Phase.leading
  private var depth = 0
  private var inString = false
  /// The last byte read was a backslash inside a string: the next byte is escaped.
  private var escaped = false
  private var valueEnd = 0
  /// How many bytes of a header name matched after the value, and which names still match.
  private var matched = 0
  private var lengthMatches = true
  private var typeMatches = true

  private static let contentLength = Array("content-length:".utf8)
  private static let contentType = Array("content-type:".utf8)

  /// Reads `body` (the body's bytes that have arrived, from its start) from where the last call
  /// stopped. `complete`: `body` is the whole body. Returns the verdict when it is known: always
  /// when `complete`, earlier only for a split or a body that stays whole whatever follows.
  mutating func advance(_ body: UnsafeBufferPointer<UInt8>, complete: Bool) -> Verdict? {
    if let verdict { return verdict }
    let end = body.count
    var i = scanned
    defer { scanned = i }
    while i < end, verdict == nil {
      switch phase {
      case .leading:
        while i < end, FrameDecoder.isWhitespace(body[i]) { i += 1 }
        guard i < end else { break }
        switch body[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          depth = 1
          phase = .value
        case UInt8(ascii: "\""):
          inString = true
          phase = .value
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"),
          UInt8(ascii: "n"):
          phase = .scalar
        default:
          verdict = .whole  // no JSON value starts here
        }
        i += 1
      case .value:
        i = scanValue(body, from: i)
      case .scalar:
        while i < end, Self.isScalarByte(body[i]) { i += 1 }
        if i < end {
          valueEnd = i
          phase = .afterValue
        }
      case .afterValue:
        while i < end, FrameDecoder.isWhitespace(body[i]) { i += 1 }
        if i < end { phase = .headerName }
      case .headerName:
        let b = body[i]
        let lower = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b
        lengthMatches = lengthMatches && Self.contentLength[matched] == lower
        typeMatches = typeMatches && Self.contentType[matched] == lower
        matched += 1
        i += 1
        if (lengthMatches && matched == Self.contentLength.count) || (typeMatches && matched == Self.contentType.count)
        {
          verdict = .split(valueEnd: valueEnd)
        } else if !lengthMatches && !typeMatches {
          verdict = .whole  // bytes after the value that are not a header
        }
      }
    }
    guard verdict == nil, complete else { return verdict }
    switch phase {
    case .leading, .value, .scalar, .afterValue: verdict = .whole
    case .headerName: verdict = .split(valueEnd: valueEnd)  // a header name cut by the body's end
    }
    return verdict
  }

  /// Reads a string or a bracketed value from `from`; moves to `.afterValue` where it ends.
  /// Returns where it stopped. (The state lives in locals while the loop runs: this is the loop
  /// every body goes through.)
  private mutating func scanValue(_ body: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
    let end = body.count
    var i = from
    if escaped {
      guard i < end else { return i }
      escaped = false
      i += 1
    }
    var depth = self.depth
    var inString = self.inString
    defer {
      self.depth = depth
      self.inString = inString
    }
    while i < end {
      if inString {
        while i < end, body[i] != UInt8(ascii: "\""), body[i] != UInt8(ascii: "\\") { i += 1 }
        guard i < end else { break }
        if body[i] == UInt8(ascii: "\\") {
          i += 2
          if i > end {
            i = end
            escaped = true
          }
          continue
        }
        i += 1
        inString = false
        if depth == 0 { return valueEnded(at: i) }
        continue
      }
      let b = body[i]
      i += 1
      switch b {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 0 { return valueEnded(at: i) }
      default: break
      }
    }
    return i
  }

  private mutating func valueEnded(at i: Int) -> Int {
    valueEnd = i
    phase = .afterValue
    return i
  }

  /// The bytes of JSON numbers and of `true`, `false`, `null`: digits, `+-.eE`, `a e f l n r s t u`.
  /// Not `c` or `C`: a literal or number runs into a `Content-Length` after it no further.
  private static func isScalarByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
      UInt8(ascii: "E"), UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "f"), UInt8(ascii: "l"),
      UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "u"):
      true
    default: false
    }
  }
}
