import Radar

/// An RFC 3339 `date-time` (section 5.6), parsed strictly by our own code: `2024-01-08T00:00:00Z`,
/// `2024-01-08t02:00:00.5+02:00`. A date alone, a missing offset, a space for `T`, or a day that
/// does not exist (`2023-02-29`) are rejected, and so is a leap second (`:60`): RFC 3339 allows
/// one at 23:59 UTC, but Radar has no such time (contract §5; Go's and Python's parsers refuse it).
///
/// radar-rpc sends dates to Cloudflare in UTC with `Z` (``utcString``), so two spellings of one
/// instant make one canonical request, and compares instants to reject `dateStart` after `dateEnd`.
struct DateTime: Sendable, Comparable {
  let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
  /// Fractional-second digits as written, trailing zeros removed ("" for none).
  let fraction: String
  /// Offset from UTC in minutes (`+02:00` is 120).
  let offsetMinutes: Int

  init?(_ text: String) {
    let b = Array(text.utf8)
    guard b.count >= 20 else { return nil }
    func digits(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= b.count else { return nil }
      var value = 0
      for i in start..<start + count {
        guard b[i] >= 48, b[i] <= 57 else { return nil }
        value = value * 10 + Int(b[i] - 48)
      }
      return value
    }
    guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
      let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
      let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
      let second = digits(17, 2)
    else { return nil }
    var i = 19
    var fractionDigits: [UInt8] = []
    if b[i] == UInt8(ascii: ".") {
      i += 1
      while i < b.count, b[i] >= 48, b[i] <= 57 {
        fractionDigits.append(b[i])
        i += 1
      }
      guard !fractionDigits.isEmpty else { return nil }
    }
    guard i < b.count else { return nil }
    var offset = 0
    switch b[i] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      i += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard let offsetHour = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"),
        let offsetMinute = digits(i + 4, 2), offsetHour <= 23, offsetMinute <= 59
      else { return nil }
      offset = (offsetHour * 60 + offsetMinute) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
      i += 6
    default:
      return nil
    }
    guard i == b.count else { return nil }
    guard (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day), hour <= 23,
      minute <= 59, second <= 59
    else { return nil }
    while fractionDigits.last == UInt8(ascii: "0") { fractionDigits.removeLast() }
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
    self.fraction = String(decoding: fractionDigits, as: UTF8.self)
    self.offsetMinutes = offset
  }

  /// True for a date-time that would be valid but for its second being 60 (a leap second).
  static func isLeapSecond(_ text: String) -> Bool {
    var bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes[17] == UInt8(ascii: "6"), bytes[18] == UInt8(ascii: "0") else { return false }
    bytes[17] = UInt8(ascii: "5")
    bytes[18] = UInt8(ascii: "9")
    return DateTime(String(decoding: bytes, as: UTF8.self)) != nil
  }

  /// For a date-time written right whose date or time does not exist (`2026-02-29`, month 13,
  /// hour 24), what does not exist: `"2026-02 has 28 days"`, `"there is no month 13"`; nil when
  /// the text is valid or not written as RFC 3339 at all. (A leap second: ``isLeapSecond``.)
  static func nonexistentPart(_ text: String) -> String? {
    var bytes = Array(text.utf8)
    guard bytes.count >= 20 else { return nil }
    let fields = [(5, 2), (8, 2), (11, 2), (14, 2), (17, 2)]  // month, day, hour, minute, second
    var values: [Int] = []
    for (start, count) in fields {
      let slice = bytes[start..<start + count]
      guard slice.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
      values.append(slice.reduce(0) { $0 * 10 + Int($1 - 48) })
    }
    for (start, count) in fields {  // the smallest valid values: is the rest written right?
      for i in start..<start + count { bytes[i] = UInt8(ascii: i == start + count - 1 && start <= 8 ? "1" : "0") }
    }
    guard DateTime(String(decoding: bytes, as: UTF8.self)) != nil,
      let year = Int(String(decoding: bytes[0..<4], as: UTF8.self))
    else { return nil }
    let (month, day, hour, minute, second) = (values[0], values[1], values[2], values[3], values[4])
    if !(1...12).contains(month) { return "there is no month \(month)" }
    let days = CivilCalendar.daysIn(month: month, year: year)
    if !(1...days).contains(day) { return "\(text.prefix(7)) has \(days) days" }
    if hour > 23 { return "there is no hour \(hour) (00…23)" }
    if minute > 59 { return "there is no minute \(minute) (00…59)" }
    if second > 59 { return "there is no second \(second) (00…59)" }
    return nil
  }

  /// Seconds since 1970-01-01T00:00:00Z, the fraction dropped.
  var epochSeconds: Int { utcMinutes * 60 + second }

  /// Minutes since the epoch of the instant's hour and minute, in UTC (seconds kept apart so a
  /// leap second stays `:60` instead of rolling over).
  private var utcMinutes: Int {
    (CivilCalendar.days(year: year, month: month, day: day) * 24 + hour) * 60 + minute - offsetMinutes
  }

  /// True when the instant, in UTC, falls in the years 0000…9999 that RFC 3339 can write
  /// (`0000-01-01T00:30:00+01:00` is in the year -1, `9999-12-31T23:30:00-01:00` in 10000).
  var isInUTCYears: Bool {
    let minutes = utcMinutes
    return (Self.firstMinute...Self.lastMinute).contains(minutes)
  }

  private static let firstMinute = CivilCalendar.days(year: 0, month: 1, day: 1) * 1440
  private static let lastMinute = (CivilCalendar.days(year: 9999, month: 12, day: 31) + 1) * 1440 - 1

  /// The same instant in UTC: `YYYY-MM-DDTHH:MM:SS[.fff]Z`, fraction without trailing zeros.
  /// Years that leave 0000…9999 in UTC keep the text they came with.
  func utcString(original: String) -> String {
    let minutes = utcMinutes
    let days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
    let minuteOfDay = minutes - days * 1440
    let date = CivilCalendar.date(days: days)
    guard (0...9999).contains(date.year) else { return original }
    var out = pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
    out += "T" + pad(minuteOfDay / 60, 2) + ":" + pad(minuteOfDay % 60, 2) + ":" + pad(second, 2)
    if !fraction.isEmpty { out += "." + fraction }
    return out + "Z"
  }

  private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  /// The same instant (`…T02:00:00+02:00` equals `…T00:00:00Z`).
  static func == (lhs: DateTime, rhs: DateTime) -> Bool { !(lhs < rhs) && !(rhs < lhs) }

  static func < (lhs: DateTime, rhs: DateTime) -> Bool {
    let (l, r) = (lhs.utcMinutes, rhs.utcMinutes)
    if l != r { return l < r }
    if lhs.second != rhs.second { return lhs.second < rhs.second }
    // Same second: compare fractions digit by digit ("5" > "25").
    let (a, b) = (Array(lhs.fraction.utf8), Array(rhs.fraction.utf8))
    for i in 0..<max(a.count, b.count) {
      let x = i < a.count ? a[i] : 48
      let y = i < b.count ? b[i] : 48
      if x != y { return x < y }
    }
    return false
  }

  /// A corrected spelling for common near misses, for "did you mean": a date alone gets
  /// midnight UTC, a missing offset gets `Z`, a space becomes `T`.
  static func suggestion(for text: String) -> String? {
    var candidate = text
    if candidate.utf8.count == 10 { candidate += "T00:00:00Z" }
    if candidate.utf8.count > 10, Array(candidate.utf8)[10] == UInt8(ascii: " ") {
      var bytes = Array(candidate.utf8)
      bytes[10] = UInt8(ascii: "T")
      candidate = String(decoding: bytes, as: UTF8.self)
    }
    if DateTime(candidate) == nil, DateTime(candidate + "Z") != nil { candidate += "Z" }
    guard candidate != text, DateTime(candidate) != nil else { return nil }
    return candidate
  }
}
