/// Writes one JSON value piece by piece, straight into compact UTF-8 bytes, for producers of large
/// answers that would otherwise build a ``JSONValue`` tree only to write it (the demo backend's
/// series: tens of thousands of numbers-as-strings per answer).
///
/// Commas and colons are written for the caller; the caller keeps the structure balanced
/// (every `begin` has its `end`, a ``key(_:)`` before each value inside an object). The result is
/// an ``EncodedJSON``, written exactly as ``JSONWriter`` would write the same value.
public struct JSONStreamWriter: ~Copyable {
  private var sink: ByteSink
  /// Whether the next value or key at the current level follows a sibling (needs a comma).
  private var afterValue = false

  /// - Parameter capacity: the bytes to allocate up front (the expected size avoids regrowing).
  public init(capacity: Int = 512) {
    sink = ByteSink(capacity: capacity)
  }

  @inline(__always)
  private mutating func separate() {
    if afterValue { sink.append(UInt8(ascii: ",")) }
  }

  public mutating func beginObject() {
    separate()
    sink.append(UInt8(ascii: "{"))
    afterValue = false
  }

  public mutating func endObject() {
    sink.append(UInt8(ascii: "}"))
    afterValue = true
  }

  public mutating func beginArray() {
    separate()
    sink.append(UInt8(ascii: "["))
    afterValue = false
  }

  public mutating func endArray() {
    sink.append(UInt8(ascii: "]"))
    afterValue = true
  }

  /// The key of the next member of the object being written.
  public mutating func key(_ key: String) {
    separate()
    JSONWriter.writeString(key, to: &sink)
    sink.append(UInt8(ascii: ":"))
    afterValue = false
  }

  /// A string value, escaped as JSON requires.
  public mutating func string(_ string: String) {
    separate()
    JSONWriter.writeString(string, to: &sink)
    afterValue = true
  }

  /// Any value; an ``JSONValue/encoded(_:)`` one is spliced as it is.
  public mutating func value(_ value: JSONValue) {
    separate()
    JSONWriter.write(value, to: &sink)
    afterValue = true
  }

  /// An array of decimal numbers written as strings the way Radar writes its values
  /// (`["52.5532","-3.1000","0.0005"]`): element i is `scaled[i] / 10^decimals` with exactly
  /// `decimals` digits after the point (0...8; none and no point for 0), a `-` for a negative value.
  /// Written in one pass straight into the output, without a `String` per value.
  public mutating func fixedPointStrings(_ scaled: [Int64], decimals: Int) {
    precondition((0...8).contains(decimals), "fixedPointStrings: decimals must be 0...8")
    separate()
    var scale: UInt64 = 1
    for _ in 0..<decimals { scale *= 10 }
    // `"` + sign + 20 digits + point + `"` + `,`: an upper bound for every element.
    let start = sink.reserve(scaled.count * 25 + 2)
    var out = start
    out[0] = UInt8(ascii: "[")
    out += 1
    scaled.withUnsafeBufferPointer { values in
      for index in values.indices {
        if index > 0 {
          out[0] = UInt8(ascii: ",")
          out += 1
        }
        out[0] = UInt8(ascii: "\"")
        out += 1
        out += Self.writeFixedPoint(values[index], decimals: decimals, scale: scale, to: out)
        out[0] = UInt8(ascii: "\"")
        out += 1
      }
    }
    out[0] = UInt8(ascii: "]")
    sink.advance(by: out + 1 - start)
    afterValue = true
  }

  /// Writes `scaled / scale` (`scale` = 10^`decimals`, at least 1) at `out` and returns its
  /// length: digits two at a time, right to left, into their final places (wrapping arithmetic:
  /// every value is in range by construction, and the checks cost more than the digits).
  @inline(__always)
  private static func writeFixedPoint(
    _ scaled: Int64, decimals: Int, scale: UInt64, to out: UnsafeMutablePointer<UInt8>
  )
    -> Int
  {
    let magnitude = scaled.magnitude
    var integer = magnitude / scale
    var fraction = magnitude &- integer &* scale
    var integerDigits = 1
    var probe = integer
    while probe >= 100 {
      probe /= 100
      integerDigits &+= 2
    }
    if probe >= 10 { integerDigits &+= 1 }
    let sign = scaled < 0 ? 1 : 0
    let count = sign &+ integerDigits &+ (decimals > 0 ? decimals &+ 1 : 0)
    let to = UnsafeMutableRawPointer(out)
    var i = count
    var remaining = decimals
    while remaining >= 2 {
      let rest = fraction / 100
      i &-= 2
      to.storeBytes(of: digitPair(fraction &- rest &* 100), toByteOffset: i, as: UInt16.self)
      fraction = rest
      remaining &-= 2
    }
    if remaining == 1 {
      i &-= 1
      out[i] = UInt8(truncatingIfNeeded: fraction) &+ 0x30
    }
    if decimals > 0 {
      i &-= 1
      out[i] = UInt8(ascii: ".")
    }
    while integer >= 10 {
      let rest = integer / 100
      i &-= 2
      to.storeBytes(of: digitPair(integer &- rest &* 100), toByteOffset: i, as: UInt16.self)
      integer = rest
    }
    if i > sign { out[i &- 1] = UInt8(truncatingIfNeeded: integer) &+ 0x30 }
    if sign == 1 { out[0] = UInt8(ascii: "-") }
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
    UnsafeRawPointer(digitPairs.utf8Start).loadUnaligned(fromByteOffset: Int(value) * 2, as: UInt16.self)
  }

  /// Bytes written so far.
  public var count: Int { sink.count }

  /// The value written.
  public consuming func finish() -> EncodedJSON {
    EncodedJSON(compact: sink.finish())
  }
}
