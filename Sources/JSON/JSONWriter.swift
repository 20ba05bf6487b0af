/// Writes ``JSONValue``s as compact UTF-8 JSON.
///
/// Strings are written as UTF-8 with only the escapes JSON requires, so a body never
/// contains a raw newline (which keeps NDJSON framing safe).
///
/// Every response goes through here, so it is written for speed: values are written into a
/// raw growable buffer (``ByteSink``) and copied out once, a string that needs no escape
/// (nearly all of them) is one block copy, and integers are written without making a `String`.
public enum JSONWriter {
  public static func write(_ value: JSONValue, into out: inout [UInt8]) {
    // Scalars (a stream writer's members, one by one) go straight in: no buffer of their own.
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n):
      if case .integer(let i) = n.storage {
        appendInteger(i, to: &out)
      } else {
        out.append(contentsOf: n.literal.utf8)
      }
    case .string(let s): writeString(s, into: &out)
    case .array, .object, .encoded:
      var sink = ByteSink()
      write(value, to: &sink)
      sink.append(to: &out)
    }
  }

  public static func bytes(_ value: JSONValue) -> [UInt8] {
    var sink = ByteSink()
    write(value, to: &sink)
    return sink.finish()
  }

  public static func string(_ value: JSONValue) -> String {
    String(decoding: bytes(value), as: UTF8.self)
  }

  public static func writeString(_ string: String, into out: inout [UInt8]) {
    // Nearly every string needs no escape: appended as it is, without a buffer of its own.
    let plain: Bool? = string.utf8.withContiguousStorageIfAvailable { utf8 in
      guard !needsAnyEscape(utf8) else { return false }
      out.append(UInt8(ascii: "\""))
      out.append(contentsOf: utf8)
      out.append(UInt8(ascii: "\""))
      return true
    }
    if plain == true { return }
    var sink = ByteSink(capacity: string.utf8.count + 2)
    writeString(string, to: &sink)
    sink.append(to: &out)
  }

  /// Whether any byte of `utf8` needs an escape, a word at a time.
  private static func needsAnyEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = utf8.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= utf8.count {
      if needsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
      i += 8
    }
    while i < utf8.count {
      let b = utf8[i]
      if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return true }
      i += 1
    }
    return false
  }

  /// Decimal digits of `value` appended to `out`.
  static func appendInteger(_ value: Int, to out: inout [UInt8]) {
    withDecimalText(of: value) { out.append(contentsOf: $0) }
  }

  /// `Content-Length: N\r\n\r\n`, the LSP frame header (here because it shares the digit writer).
  public static func appendHeader(contentLength: Int, to out: inout [UInt8]) {
    let name: StaticString = "Content-Length: "
    let end: StaticString = "\r\n\r\n"
    name.withUTF8Buffer { out.append(contentsOf: $0) }
    appendInteger(contentLength, to: &out)
    end.withUTF8Buffer { out.append(contentsOf: $0) }
  }

  static func write(_ value: JSONValue, to sink: inout ByteSink) {
    switch value {
    case .null: sink.append("null")
    case .bool(let b): sink.append(b ? "true" : "false")
    case .number(let n):
      switch n.storage {
      case .integer(let i): writeInteger(i, to: &sink)
      case .text(let text): appendUTF8(text, to: &sink)
      }
    case .string(let s): writeString(s, to: &sink)
    case .array(let elements): writeArray(elements, to: &sink)
    case .object(let object): writeObject(object, to: &sink)
    case .encoded(let encoded): encoded.withBytes { sink.append($0) }
    }
  }

  /// Elements are read in place (no copy of each `JSONValue`), and strings — nearly every element
  /// of a Radar series — go straight to the string writer.
  private static func writeArray(_ elements: [JSONValue], to sink: inout ByteSink) {
    sink.append(UInt8(ascii: "["))
    elements.withUnsafeBufferPointer { buffer in
      for index in buffer.indices {
        if index > 0 { sink.append(UInt8(ascii: ",")) }
        if case .string(let s) = buffer[index] {
          writeString(s, to: &sink)
        } else {
          write(buffer[index], to: &sink)
        }
      }
    }
    sink.append(UInt8(ascii: "]"))
  }

  private static func writeObject(_ object: JSONObject, to sink: inout ByteSink) {
    sink.append(UInt8(ascii: "{"))
    object.members.withUnsafeBufferPointer { members in
      for index in members.indices {
        if index > 0 { sink.append(UInt8(ascii: ",")) }
        writeString(members[index].key, to: &sink)
        sink.append(UInt8(ascii: ":"))
        write(members[index].value, to: &sink)
      }
    }
    sink.append(UInt8(ascii: "}"))
  }

  @inline(__always)
  static func appendUTF8(_ text: String, to sink: inout ByteSink) {
    if text.utf8.withContiguousStorageIfAvailable({ sink.append($0) }) == nil {
      Array(text.utf8).withUnsafeBufferPointer { sink.append($0) }
    }
  }

  /// Decimal digits of `value`, without making a `String`.
  static func writeInteger(_ value: Int, to sink: inout ByteSink) {
    if value >= 0, value < 10 {
      sink.append(UInt8(ascii: "0") + UInt8(value))
      return
    }
    withDecimalText(of: value) { sink.append($0) }
  }

  /// Calls `body` with the decimal text of `value` (a `-` and up to 19 digits), made in scratch
  /// space on the stack.
  @inline(__always)
  private static func withDecimalText(of value: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
    var magnitude = value.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch: enough for 20 characters
    var count = 0
    withUnsafeMutableBytes(of: &digits) { scratch in
      repeat {
        scratch[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      if value < 0 {
        scratch[23 - count] = UInt8(ascii: "-")
        count += 1
      }
      body(UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]))
    }
  }

  private static let hex: StaticString = "0123456789abcdef"

  static func writeString(_ string: String, to sink: inout ByteSink) {
    let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
      writeEscaped(utf8, to: &sink)
    }
    if done == nil {
      Array(string.utf8).withUnsafeBufferPointer { writeEscaped($0, to: &sink) }
    }
  }

  /// True when one of the 8 bytes of `word` is below 0x20, `"` or `\\` (SWAR: a whole word per
  /// step, since nearly every string the server writes needs no escape at all).
  @inline(__always)
  private static func needsEscape(_ word: UInt64) -> Bool {
    let high: UInt64 = 0x8080_8080_8080_8080
    let ones: UInt64 = 0x0101_0101_0101_0101
    let control = (word &- 0x2020_2020_2020_2020) & ~word & high
    let q = word ^ 0x2222_2222_2222_2222
    let quote = (q &- ones) & ~q & high
    let b = word ^ 0x5C5C_5C5C_5C5C_5C5C
    let backslash = (b &- ones) & ~b & high
    return (control | quote | backslash) != 0
  }

  /// Copies the string a word at a time, checking each word for a byte that needs an escape
  /// (nearly never: one pass, no separate scan, no byte loop); at the first such byte the whole
  /// string goes through the escaping loop instead.
  private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to sink: inout ByteSink) {
    let count = utf8.count
    let out = sink.reserve(count + 2)
    out[0] = UInt8(ascii: "\"")
    if let source = utf8.baseAddress, copyUnescaped(from: UnsafeRawPointer(source), count: count, to: out + 1) {
      out[count + 1] = UInt8(ascii: "\"")
      sink.advance(by: count + 2)
      return
    }
    sink.advance(by: 1)
    writeEscapes(utf8, to: &sink)
  }

  /// Copies `count` bytes when none needs an escape, reading and writing only inside both buffers:
  /// whole words, then the last word again at `count - 8` (overlapping what was copied already);
  /// below 8 bytes, two overlapping halves. Returns false, with `to` partly written, otherwise.
  @inline(__always)
  private static func copyUnescaped(from: UnsafeRawPointer, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Bool {
    let to = UnsafeMutableRawPointer(out)
    if count >= 8 {
      var i = 0
      while i + 8 <= count {
        let word = from.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        if needsEscape(word) { return false }
        to.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
        i += 8
      }
      if i < count {
        let word = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        if needsEscape(word) { return false }
        to.storeBytes(of: word, toByteOffset: count - 8, as: UInt64.self)
      }
      return true
    }
    if count >= 4 {
      let low = from.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
      let high = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
      if needsEscape(UInt64(low) | UInt64(high) << 32) { return false }
      to.storeBytes(of: low, toByteOffset: 0, as: UInt32.self)
      to.storeBytes(of: high, toByteOffset: count - 4, as: UInt32.self)
      return true
    }
    if count >= 2 {
      let low = from.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
      let high = from.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)
      let half = UInt64(low) | UInt64(high) << 16
      if needsEscape(half | half << 32) { return false }
      to.storeBytes(of: low, toByteOffset: 0, as: UInt16.self)
      to.storeBytes(of: high, toByteOffset: count - 2, as: UInt16.self)
      return true
    }
    if count == 1 {
      let b = from.load(as: UInt8.self)
      if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
      out[0] = b
    }
    return true
  }

  /// The rest of a string from its first byte that needs an escape, and the closing quote.
  private static func writeEscapes(_ utf8: UnsafeBufferPointer<UInt8>, to sink: inout ByteSink) {
    var i = 0
    var runStart = 0
    while i < utf8.count {
      let b = utf8[i]
      i += 1
      guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
      if runStart < i - 1 { sink.append(UnsafeBufferPointer(rebasing: utf8[runStart..<(i - 1)])) }
      runStart = i
      sink.append(UInt8(ascii: "\\"))
      switch b {
      case UInt8(ascii: "\""): sink.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): sink.append(UInt8(ascii: "\\"))
      case 0x0A: sink.append(UInt8(ascii: "n"))
      case 0x0D: sink.append(UInt8(ascii: "r"))
      case 0x09: sink.append(UInt8(ascii: "t"))
      case 0x08: sink.append(UInt8(ascii: "b"))
      case 0x0C: sink.append(UInt8(ascii: "f"))
      default:
        sink.append("u00")
        sink.append(hex.utf8Start[Int(b >> 4)])
        sink.append(hex.utf8Start[Int(b & 0xF)])
      }
    }
    if runStart < utf8.count { sink.append(UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    sink.append(UInt8(ascii: "\""))
  }
}
