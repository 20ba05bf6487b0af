/// Percent-encoding for query strings (RFC 3986): every byte outside the unreserved set
/// `A–Z a–z 0–9 - . _ ~` is written `%XX`, so `Let's Encrypt` becomes `Let%27s%20Encrypt`
/// and `2024-01-08T00:00:00Z` becomes `2024-01-08T00%3A00%3A00Z`.
public enum PercentEncoding {
  private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

  public static func encode(_ string: String) -> String {
    // Most names and values (`dateRange`, `7d`, `LOCATION`) need no escaping: no copy then.
    if string.utf8.allSatisfy(isUnreserved) { return string }
    var out: [UInt8] = []
    out.reserveCapacity(string.utf8.count)
    append(string, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends `string` percent-encoded to `out`: runs that need no escape in one copy each.
  static func append(_ string: String, to out: inout [UInt8]) {
    var string = string
    string.withUTF8 { utf8 in
      var runStart = 0
      for (i, b) in utf8.enumerated() where !isUnreserved(b) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
        out.append(UInt8(ascii: "%"))
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 0xF)])
        runStart = i + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }
  }

  @inline(__always)
  private static func isUnreserved(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"):
      true
    default:
      false
    }
  }

  /// Decodes `%XX` escapes (and `+` as a space, as HTML forms send it); `nil` on a broken escape
  /// or bytes that are not UTF-8.
  public static func decode(_ string: String) -> String? {
    var out: [UInt8] = []
    var bytes = Array(string.utf8)[...]
    while let b = bytes.popFirst() {
      if b == UInt8(ascii: "+") {
        out.append(UInt8(ascii: " "))
      } else if b == UInt8(ascii: "%") {
        guard bytes.count >= 2, let hi = hexValue(bytes.removeFirst()), let lo = hexValue(bytes.removeFirst()) else {
          return nil
        }
        out.append(hi << 4 | lo)
      } else {
        out.append(b)
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  private static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
