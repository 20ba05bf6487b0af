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
    var sink = ByteSink()
    write(value, to: &sink)
    sink.append(to: &out)
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
    var sink = ByteSink(capacity: string.utf8.count + 2)
    writeString(string, to: &sink)
    sink.append(to: &out)
  }

  /// `Content-Length: N\r\n\r\n`, the LSP frame header (here because it shares the digit writer).
  public static func appendHeader(contentLength: Int, to out: inout [UInt8]) {
    var sink = ByteSink(capacity: 32)
    sink.append("Content-Length: ")
    writeInteger(contentLength, to: &sink)
    sink.append("\r\n\r\n")
    sink.append(to: &out)
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
    case .array(let elements):
      sink.append(UInt8(ascii: "["))
      for index in elements.indices {
        if index > 0 { sink.append(UInt8(ascii: ",")) }
        write(elements[index], to: &sink)
      }
      sink.append(UInt8(ascii: "]"))
    case .object(let object):
      sink.append(UInt8(ascii: "{"))
      for index in object.members.indices {
        if index > 0 { sink.append(UInt8(ascii: ",")) }
        writeString(object.members[index].key, to: &sink)
        sink.append(UInt8(ascii: ":"))
        write(object.members[index].value, to: &sink)
      }
      sink.append(UInt8(ascii: "}"))
    }
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
    var magnitude = value.magnitude
    if value < 0 { sink.append(UInt8(ascii: "-")) }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch: enough for 20 digits
    var count = 0
    withUnsafeMutableBytes(of: &digits) { scratch in
      while magnitude > 0 {
        scratch[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      }
      sink.append(UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]))
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

  private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to sink: inout ByteSink) {
    sink.append(UInt8(ascii: "\""))
    var i = 0
    if let base = utf8.baseAddress {
      let raw = UnsafeRawPointer(base)
      while i + 8 <= utf8.count, !needsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
    }
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
