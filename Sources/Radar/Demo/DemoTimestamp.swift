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

  /// `2026-11-16T10:00:00Z` for whole seconds (years clamped to 0000…9999).
  static func format(_ seconds: Int64) -> String {
    String(unsafeUninitializedCapacity: Writer.length) { buffer in
      var writer = Writer()
      writer.write(seconds, to: buffer.baseAddress!)
      return Writer.length
    }
  }

  /// Writes the text of timestamps (``format(_:)``'s, ``length`` bytes each) straight into memory,
  /// remembering the day of the last one: along a time axis the date changes once a day (every
  /// 96 timestamps at 15 minutes), so most timestamps cost a subtraction, a division by 60 and a
  /// table entry for the hour and minute.
  struct Writer {
    static let length = 20
    /// The first second of the day whose date is in `date` (none at first).
    private var dayStart = Int64.max
    /// `YYYY-MM-` and `DDT` in memory order (the fourth byte of the second is overwritten).
    private var date: (UInt64, UInt32) = (0, 0)
    /// ``minutesOfTheDay``, held here so that each write reads it without a lazy-global check.
    private let minutes = Writer.minutesOfTheDay

    /// Writes ``length`` bytes at `out`.
    @inline(__always)
    mutating func write(_ seconds: Int64, to out: UnsafeMutablePointer<UInt8>) {
      // Wrapping: with no day yet, or a day far away, the difference is outside the day either way.
      var secondOfDay = UInt64(bitPattern: seconds &- dayStart)
      if secondOfDay >= UInt64(DemoTimestamp.day) {
        setDate(seconds)
        secondOfDay = UInt64(bitPattern: seconds &- dayStart)
      }
      let minute = secondOfDay / 60
      let second = secondOfDay &- minute &* 60
      var time = minutes[Int(truncatingIfNeeded: minute)]
      if second != 0 { time = time & 0xFFFF_FFFF_FFFF | Self.twoDigits(second) << 48 }
      let raw = UnsafeMutableRawPointer(out)
      raw.storeBytes(of: date.0, as: UInt64.self)
      raw.storeBytes(of: date.1, toByteOffset: 8, as: UInt32.self)  // "DDT" and a byte the time overwrites
      raw.storeBytes(of: time, toByteOffset: 11, as: UInt64.self)
      out[19] = UInt8(ascii: "Z")
    }

    private mutating func setDate(_ seconds: Int64) {
      let days = floorDiv(seconds, DemoTimestamp.day)
      dayStart = days * DemoTimestamp.day
      let (year, month, dayOfMonth) = CivilCalendar.date(days: Int(days))
      let y = UInt64(max(0, min(9_999, year)))
      let high = y / 100
      let text =
        Self.twoDigits(high) | Self.twoDigits(y &- high &* 100) << 16 | 0x2D << 32 | Self.twoDigits(UInt64(month)) << 40
        | 0x2D << 56
      date = (text, UInt32(truncatingIfNeeded: Self.twoDigits(UInt64(dayOfMonth)) | 0x54 << 16))
    }

    /// `HH:MM:00` for every minute of a day, in memory order (1,440 entries).
    private static let minutesOfTheDay: [UInt64] = (0..<1_440).map { minute in
      let colons: UInt64 = 0x3030_3A00_003A_0000  // ':' at bytes 2 and 5, "00" at 6 and 7
      return twoDigits(UInt64(minute / 60)) | twoDigits(UInt64(minute % 60)) << 24 | colons
    }

    /// The two ASCII digits of `value` (0...99), the first in the lowest byte.
    @inline(__always)
    private static func twoDigits(_ value: UInt64) -> UInt64 {
      let tens = value / 10
      return (tens | (value &- tens &* 10) << 8) &+ 0x3030
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
