/// Writes one JSON value piece by piece, straight into compact UTF-8 bytes, for producers of large
/// answers that would otherwise build a ``JSONValue`` tree only to write it (the demo backend's
/// series: tens of thousands of numbers-as-strings per answer).
///
/// Commas and colons are written for the caller; the caller keeps the structure balanced
/// (every `begin` has its `end`, a ``key(_:)`` before each value inside an object). The result is
/// an ``EncodedJSON``, written exactly as ``JSONWriter`` would write the same value.
///
/// The bytes are written into the array the result keeps (`Array.append(addingCapacity:)`), so
/// taking them out is not a copy; arrays of values are written in chunks of elements, each into
/// room reserved for its longest text, with plain stores.
public struct JSONStreamWriter: ~Copyable {
  private var bytes: [UInt8] = []
  /// Whether the next value or key at the current level follows a sibling (needs a comma).
  private var afterValue = false

  /// - Parameter capacity: the bytes to allocate up front (the expected size avoids regrowing,
  ///   which copies what was written).
  public init(capacity: Int = 512) {
    bytes.reserveCapacity(capacity)
  }

  @inline(__always)
  private mutating func separate() {
    if afterValue { bytes.append(UInt8(ascii: ",")) }
  }

  public mutating func beginObject() {
    separate()
    bytes.append(UInt8(ascii: "{"))
    afterValue = false
  }

  public mutating func endObject() {
    bytes.append(UInt8(ascii: "}"))
    afterValue = true
  }

  public mutating func beginArray() {
    separate()
    bytes.append(UInt8(ascii: "["))
    afterValue = false
  }

  public mutating func endArray() {
    bytes.append(UInt8(ascii: "]"))
    afterValue = true
  }

  /// The key of the next member of the object being written.
  public mutating func key(_ key: String) {
    separate()
    JSONWriter.writeString(key, into: &bytes)
    bytes.append(UInt8(ascii: ":"))
    afterValue = false
  }

  /// A string value, escaped as JSON requires.
  public mutating func string(_ string: String) {
    separate()
    JSONWriter.writeString(string, into: &bytes)
    afterValue = true
  }

  /// Any value; an ``JSONValue/encoded(_:)`` one is spliced as it is.
  public mutating func value(_ value: JSONValue) {
    separate()
    if case .encoded(let encoded) = value {
      encoded.withBytes { bytes.append(contentsOf: $0) }
    } else {
      JSONWriter.write(value, into: &bytes)
    }
    afterValue = true
  }

  /// An array of decimal numbers written as strings the way Radar writes its values
  /// (`["52.5532","-3.1000","0.0005"]`): element i is `scaled[i] / 10^decimals` with exactly
  /// `decimals` digits after the point (0...8; none and no point for 0), a `-` for a negative value.
  /// Written in one pass straight into the output, without a `String` per value: each element is
  /// its digits then `","` (the next element's opening quote), in a loop specialised for each
  /// number of decimals.
  public mutating func fixedPointStrings(_ scaled: [Int64], decimals: Int) {
    precondition((0...8).contains(decimals), "fixedPointStrings: decimals must be 0...8")
    separate()
    guard !scaled.isEmpty else {
      bytes.append(UInt8(ascii: "["))
      bytes.append(UInt8(ascii: "]"))
      afterValue = true
      return
    }
    openStringArray()
    scaled.withUnsafeBufferPointer { values in
      Self.digitTable.withUnsafeBufferPointer { table in
        var next = values.baseAddress!
        var remaining = values.count
        while remaining > 0 {
          let n = min(remaining, Self.chunk)
          // Per element at most a sign, 20 digits, the point, 8 decimals and `","`; 8 more for
          // the last element's whole-word stores.
          appendWritten(upTo: n &* 33 &+ 8) { out in
            Self.writeFixedPointChunk(next, count: n, decimals: decimals, table: table.baseAddress!, to: out)
          }
          next += n
          remaining &-= n
        }
      }
    }
    closeStringArray()
    afterValue = true
  }

  /// An array of `count` strings whose text the caller writes straight into the output:
  /// `element(i, to)` writes the text of element i (without quotes) at `to`, at most `maxBytes`
  /// bytes, and returns how many it wrote. None of them may need an escape in JSON (a `"`, `\` or
  /// a byte below 0x20; checked in debug builds): for text of a known alphabet, such as dates.
  public mutating func stringArray(count: Int, maxBytes: Int, element: (Int, UnsafeMutablePointer<UInt8>) -> Int) {
    separate()
    guard count > 0 else {
      bytes.append(UInt8(ascii: "["))
      bytes.append(UInt8(ascii: "]"))
      afterValue = true
      return
    }
    openStringArray()
    var index = 0
    while index < count {
      let end = min(count, index &+ Self.chunk)
      appendWritten(upTo: (end &- index) &* (maxBytes &+ 3) &+ 8) { start in
        var out = start
        while index < end {
          let written = element(index, out)
          precondition(written <= maxBytes, "stringArray: element \(index) is longer than maxBytes")
          assert(
            (0..<written).allSatisfy {
              out[$0] >= 0x20 && out[$0] != UInt8(ascii: "\"") && out[$0] != UInt8(ascii: "\\")
            },
            "stringArray: element \(index) needs an escape")
          out += written
          UnsafeMutableRawPointer(out).storeBytes(of: UInt32(truncatingIfNeeded: Self.separator), as: UInt32.self)
          out += 3  // the fourth byte stored is overwritten
          index &+= 1
        }
        return out - start
      }
    }
    closeStringArray()
    afterValue = true
  }

  /// Appends what `body` writes at the address it gets (at most `limit` bytes; it returns how
  /// many): straight into the array's spare capacity, grown first when needed.
  @inline(__always)
  private mutating func appendWritten(upTo limit: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    bytes.append(addingCapacity: limit) { span in
      span.withUnsafeMutableBufferPointer { buffer, initialized in
        initialized = body(buffer.baseAddress!)
      }
    }
  }

  /// `["`, the start of an array of strings.
  @inline(__always)
  private mutating func openStringArray() {
    bytes.append(UInt8(ascii: "["))
    bytes.append(UInt8(ascii: "\""))
  }

  /// Turns the `","` after the last element into `"]`.
  @inline(__always)
  private mutating func closeStringArray() {
    bytes.removeLast()
    bytes[bytes.count &- 1] = UInt8(ascii: "]")
  }

  /// `","` in memory order: the end of an element and the start of the next.
  private static let separator: UInt64 = 0x22_2C22

  /// Elements written per capacity check: what is reserved beyond the bytes written stays small
  /// (about 1 KB, see ``reserveBeyondWritten``).
  private static let chunk = 32

  /// The most capacity ``fixedPointStrings(_:decimals:)`` reserves beyond what it writes (and
  /// ``stringArray(count:maxBytes:element:)`` with `maxBytes` up to 30): a capacity that much
  /// larger than the expected size is never regrown.
  public static let reserveBeyondWritten = chunk * 33 + 8

  /// Writes `count` elements of ``fixedPointStrings(_:decimals:)`` from `values` at `out`, each
  /// followed by `","`; returns the bytes written. One loop for each number of decimals, in which it
  /// is a constant: the divisions become multiplications and the digits straight code.
  private static func writeFixedPointChunk(
    _ values: UnsafePointer<Int64>, count: Int, decimals: Int, table: UnsafePointer<UInt64>,
    to out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    switch decimals {
    case 0: writeFixedPointLoop(values, count: count, decimals: 0, table: table, to: out)
    case 1: writeFixedPointLoop(values, count: count, decimals: 1, table: table, to: out)
    case 2: writeFixedPointLoop(values, count: count, decimals: 2, table: table, to: out)
    case 3: writeFixedPointLoop(values, count: count, decimals: 3, table: table, to: out)
    case 4: writeFixedPointLoop(values, count: count, decimals: 4, table: table, to: out)
    case 5: writeFixedPointLoop(values, count: count, decimals: 5, table: table, to: out)
    case 6: writeFixedPointLoop(values, count: count, decimals: 6, table: table, to: out)
    case 7: writeFixedPointLoop(values, count: count, decimals: 7, table: table, to: out)
    default: writeFixedPointLoop(values, count: count, decimals: 8, table: table, to: out)
    }
  }

  @inline(__always)
  private static func writeFixedPointLoop(
    _ values: UnsafePointer<Int64>, count: Int, decimals: Int, table: UnsafePointer<UInt64>,
    to start: UnsafeMutablePointer<UInt8>
  ) -> Int {
    var out = start
    for i in 0..<count {
      out += writeFixedPointElement(values[i], decimals: decimals, table: table, to: out)
    }
    return out - start
  }

  /// Writes `scaled / 10^decimals` and the `","` after it at `out` and returns the length of both.
  /// An integer part below 1,000 is one table entry, and so are every four decimals; the decimals
  /// are stored at once with the point (and, up to 4 decimals, the `","`). Stores may reach 8 bytes
  /// past the length.
  @inline(__always)
  private static func writeFixedPointElement(
    _ scaled: Int64, decimals: Int, table: UnsafePointer<UInt64>, to out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    let raw = UnsafeMutableRawPointer(out)
    let magnitude = scaled.magnitude
    // A `-` always, kept only for a negative value (the digits overwrite it otherwise).
    out[0] = UInt8(ascii: "-")
    var at = Int(truncatingIfNeeded: UInt64(bitPattern: scaled) >> 63)
    let scale = powerOfTen(decimals)
    let integer = decimals == 0 ? magnitude : magnitude / scale
    if integer < 1_000 {
      let entry = table[Int(truncatingIfNeeded: integer)]
      raw.storeBytes(of: UInt32(truncatingIfNeeded: entry >> 32), toByteOffset: at, as: UInt32.self)
      at &+= Int(truncatingIfNeeded: entry >> 56)
    } else {
      at &+= writeInteger(integer, to: out + at)
    }
    let separator = Self.separator
    guard decimals > 0 else {
      raw.storeBytes(of: UInt32(truncatingIfNeeded: separator), toByteOffset: at, as: UInt32.self)
      return at &+ 3
    }
    let digits = fractionDigits(magnitude &- integer &* scale, decimals: decimals, table: table)
    let point = UInt64(UInt8(ascii: "."))
    if decimals <= 4 {
      raw.storeBytes(
        of: point | digits << 8 | separator << (8 &* UInt64(decimals &+ 1)), toByteOffset: at, as: UInt64.self)
    } else if decimals < 8 {
      raw.storeBytes(of: point | digits << 8, toByteOffset: at, as: UInt64.self)
      raw.storeBytes(of: UInt32(truncatingIfNeeded: separator), toByteOffset: at &+ 1 &+ decimals, as: UInt32.self)
    } else {
      out[at] = UInt8(ascii: ".")
      raw.storeBytes(of: digits, toByteOffset: at &+ 1, as: UInt64.self)
      raw.storeBytes(of: UInt32(truncatingIfNeeded: separator), toByteOffset: at &+ 9, as: UInt32.self)
    }
    return at &+ 4 &+ decimals
  }

  /// The `decimals` (1...8) digits of `fraction` (below 10^decimals), first digit in the lowest byte.
  @inline(__always)
  private static func fractionDigits(_ fraction: UInt64, decimals: Int, table: UnsafePointer<UInt64>) -> UInt64 {
    if decimals > 4 {
      let high = fraction / 10_000
      let low = fourDigits(fraction &- high &* 10_000, table: table)
      return lastDigits(fourDigits(high, table: table), decimals &- 4) | low << (8 &* UInt64(decimals &- 4))
    }
    return lastDigits(fourDigits(fraction, table: table), decimals)
  }

  /// The four digits of `value` (below 10,000), leading zeros kept, first digit in the lowest byte.
  @inline(__always)
  private static func fourDigits(_ value: UInt64, table: UnsafePointer<UInt64>) -> UInt64 {
    table[Int(truncatingIfNeeded: value)] & 0xFFFF_FFFF
  }

  /// The last `count` (1...4) of four digits.
  @inline(__always)
  private static func lastDigits(_ four: UInt64, _ count: Int) -> UInt64 {
    four >> (8 &* UInt64(4 &- count))
  }

  /// 10^`decimals` (0...8).
  @inline(__always)
  private static func powerOfTen(_ decimals: Int) -> UInt64 {
    var scale: UInt64 = 1
    for _ in 0..<decimals { scale &*= 10 }
    return scale
  }

  /// The digits of `value` (at least 1,000) at `out`; returns their count. Two at a time, right to
  /// left, into their final places.
  @inline(never)
  private static func writeInteger(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
    var count = 1
    var probe = value
    while probe >= 100 {
      probe /= 100
      count &+= 2
    }
    if probe >= 10 { count &+= 1 }
    let raw = UnsafeMutableRawPointer(out)
    var rest = value
    var i = count
    while rest >= 10 {
      let high = rest / 100
      i &-= 2
      raw.storeBytes(of: digitPair(rest &- high &* 100), toByteOffset: i, as: UInt16.self)
      rest = high
    }
    if i > 0 { out[0] = UInt8(truncatingIfNeeded: rest) &+ 0x30 }
    return count
  }

  /// "00"…"99", two ASCII digits per entry.
  private static let digitPairs: StaticString = """
    0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
    5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
    """

  /// The two digits of `value` (0...99) as the bytes of one `UInt16` in memory order.
  @inline(__always)
  private static func digitPair(_ value: UInt64) -> UInt16 {
    UnsafeRawPointer(digitPairs.utf8Start).loadUnaligned(
      fromByteOffset: Int(truncatingIfNeeded: value) &* 2, as: UInt16.self)
  }

  /// For every value below 10,000: its four digits with leading zeros in the low 4 bytes (memory
  /// order, first digit lowest), and below 1,000 its digits without them in the next 3 bytes and
  /// their count in the top byte. 80 KB, made on first use.
  private static let digitTable = [UInt64](unsafeUninitializedCapacity: 10_000) { table, count in
    var value = 0
    for a: UInt64 in 0..<10 {
      for b: UInt64 in 0..<10 {
        for c: UInt64 in 0..<10 {
          for d: UInt64 in 0..<10 {
            let four = (a | b << 8 | c << 16 | d << 24) &+ 0x3030_3030
            let length: UInt64 = a > 0 ? 4 : b > 0 ? 3 : c > 0 ? 2 : 1
            table[value] = length == 4 ? four : four | (four >> (8 &* (4 &- length))) << 32 | length << 56
            value &+= 1
          }
        }
      }
    }
    count = 10_000
  }

  /// Bytes written so far.
  public var count: Int { bytes.count }

  /// The value written (the bytes are not copied).
  public consuming func finish() -> EncodedJSON {
    EncodedJSON(compact: bytes)
  }
}
