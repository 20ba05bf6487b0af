/// Fast fixed-point formatting of numbers as Radar writes its values: `"52.5532"`, `"-3.1000"`, `"1234"`.
///
/// The demo formats tens of thousands of values per answer; `String(format:)` and `description`
/// dominate the time budget, so this works on scaled integers and writes the digits straight into
/// the string's storage (values this short become small strings, with no heap allocation).
enum FixedDecimal {
  private static let scales: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

  /// `value` rounded half away from zero to `decimals` (0...8) digits after the point.
  /// Non-finite or out-of-range values are written as `0`.
  @inline(__always)
  static func string(_ value: Double, decimals: Int) -> String {
    string(scaled: scaled(value, decimals: decimals), decimals: decimals)
  }

  /// `value × 10^decimals`, rounded half away from zero (the integer the text will show).
  @inline(__always)
  static func scaled(_ value: Double, decimals: Int) -> Int64 {
    let x = value * scales[decimals]
    guard x.magnitude < 9.0e18 else { return 0 }  // also false for NaN; infinities are caught too
    // Truncation after adding ±0.5 rounds half away from zero, without a libm call.
    return Int64(x < 0 ? x - 0.5 : x + 0.5)
  }

  /// The text of `scaled / 10^decimals` with exactly `decimals` digits after the point.
  static func string(scaled: Int64, decimals: Int) -> String {
    let negative = scaled < 0
    var digits = 1
    var probe = scaled.magnitude
    while probe >= 10 {
      probe /= 10
      digits += 1
    }
    let integerDigits = max(1, digits - decimals)
    let count = (negative ? 1 : 0) + integerDigits + (decimals > 0 ? 1 + decimals : 0)
    return String(unsafeUninitializedCapacity: count) { buffer in
      _ = writeDigits(scaled.magnitude, decimals: decimals, into: buffer, endingAt: count)
      if negative { buffer[0] = UInt8(ascii: "-") }
      return count
    }
  }

  /// Appends the text of `scaled / 10^decimals` to `out` (for CSV, which never needs a `String`).
  static func write(scaled: Int64, decimals: Int, into out: inout [UInt8]) {
    if scaled < 0 { out.append(UInt8(ascii: "-")) }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
      let start = writeDigits(scaled.magnitude, decimals: decimals, into: scratch, endingAt: scratch.count)
      out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[start...]))
    }
  }

  /// Writes `magnitude / 10^decimals` right-aligned so that it ends just before `end` (at least one
  /// integer digit, then the point and `decimals` digits) and returns where it starts.
  @inline(__always)
  private static func writeDigits(
    _ magnitude: UInt64, decimals: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, endingAt end: Int
  ) -> Int {
    var magnitude = magnitude
    var i = end
    if decimals > 0 {
      for _ in 0..<decimals {
        i -= 1
        buffer[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
        magnitude /= 10
      }
      i -= 1
      buffer[i] = UInt8(ascii: ".")
    }
    repeat {
      i -= 1
      buffer[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
      magnitude /= 10
    } while magnitude > 0
    return i
  }
}
