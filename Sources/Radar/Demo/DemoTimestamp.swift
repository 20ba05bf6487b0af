/// UTC timestamps as seconds since 1970, read from and written as RFC 3339 (`2026-11-16T10:00:00Z`).
///
/// Integer arithmetic only (``CivilCalendar``): a week of 15-minute
/// timestamps is written hundreds of times per answer, and Foundation's formatters are both slow
/// and not `Sendable`.
enum DemoTimestamp {
  static let minute: Int64 = 60
  static let hour: Int64 = 3_600
  static let day: Int64 = 86_400
  static let week: Int64 = 604_800

  /// `2026-11-16T10:00:00Z` for whole seconds.
  static func format(_ seconds: Int64) -> String {
    let days = floorDiv(seconds, day)
    let secondOfDay = seconds - days * day
    let (year, month, dayOfMonth) = CivilCalendar.date(days: Int(days))
    let hour = Int(secondOfDay / 3_600)
    let minute = Int(secondOfDay % 3_600 / 60)
    let second = Int(secondOfDay % 60)
    return String(unsafeUninitializedCapacity: 20) { b in
      var y = max(0, min(9_999, year))
      for i in stride(from: 3, through: 0, by: -1) {
        b[i] = UInt8(truncatingIfNeeded: y % 10) &+ 0x30
        y /= 10
      }
      func two(_ value: Int, at i: Int) {
        b[i] = UInt8(truncatingIfNeeded: value / 10) &+ 0x30
        b[i + 1] = UInt8(truncatingIfNeeded: value % 10) &+ 0x30
      }
      b[4] = UInt8(ascii: "-")
      two(month, at: 5)
      b[7] = UInt8(ascii: "-")
      two(dayOfMonth, at: 8)
      b[10] = UInt8(ascii: "T")
      two(hour, at: 11)
      b[13] = UInt8(ascii: ":")
      two(minute, at: 14)
      b[16] = UInt8(ascii: ":")
      two(second, at: 17)
      b[19] = UInt8(ascii: "Z")
      return 20
    }
  }

  /// Parses an RFC 3339 date-time (`2023-09-01T11:41:33.782Z`, `…+02:00`, lowercase `t`/`z`
  /// accepted) or a plain date (`2023-09-01`, midnight UTC). Fractions of a second are dropped.
  static func parse(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    func number(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= b.count else { return nil }
      var value = 0
      for i in from..<(from + count) {
        guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
        value = value * 10 + Int(b[i] - 0x30)
      }
      return value
    }
    guard let year = number(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"), let month = number(5, 2),
      b[7] == UInt8(ascii: "-"), let dayOfMonth = number(8, 2), (1...12).contains(month),
      (1...CivilCalendar.daysIn(month: month, year: year)).contains(dayOfMonth)
    else { return nil }
    let midnight = Int64(CivilCalendar.days(year: year, month: month, day: dayOfMonth)) * day
    if b.count == 10 { return midnight }
    guard b.count >= 20, b[10] | 0x20 == UInt8(ascii: "t"), let h = number(11, 2), b[13] == UInt8(ascii: ":"),
      let m = number(14, 2), b[16] == UInt8(ascii: ":"), let s = number(17, 2), h < 24, m < 60, s < 61
    else { return nil }
    var i = 19
    if b[i] == UInt8(ascii: ".") {
      i += 1
      let start = i
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
      guard i > start else { return nil }
    }
    guard i < b.count else { return nil }
    var offset: Int64 = 0
    if b[i] | 0x20 == UInt8(ascii: "z") {
      i += 1
    } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
      guard let oh = number(i + 1, 2), b.count > i + 3, b[i + 3] == UInt8(ascii: ":"), let om = number(i + 4, 2),
        oh < 24, om < 60
      else { return nil }
      offset = Int64(oh * 3_600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
      i += 6
    } else {
      return nil
    }
    guard i == b.count else { return nil }
    return midnight + Int64(h) * hour + Int64(m) * minute + Int64(min(s, 59)) - offset
  }

  /// The largest multiple of `step` (counted from `origin`) that is ≤ `seconds`.
  static func floor(_ seconds: Int64, to step: Int64, origin: Int64 = 0) -> Int64 {
    floorDiv(seconds - origin, step) * step + origin
  }

  /// Day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
  static func weekday(_ seconds: Int64) -> Int {
    Int((floorDiv(seconds, day) + 3) % 7 + 7) % 7
  }

  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }
}
