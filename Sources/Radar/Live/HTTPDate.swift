/// Parses the three date formats HTTP allows (RFC 9110 §5.6.7), as `Retry-After` may carry them:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`, and
/// asctime `Sun Nov  6 08:49:37 1994`. Hand-written: no formatter, no locale, no time zone database.
///
/// The grammar fixes the width of every number (a 4-digit year, 2-digit day and clock fields), so
/// no date from outside can overflow the arithmetic: anything else is not an HTTP date.
enum HTTPDate {
  private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

  /// Seconds since 1970-01-01T00:00:00Z (years 0000–9999), or `nil` when `text` is not an HTTP date.
  /// - Parameter now: seconds since 1970, for RFC 850's two-digit years (see below).
  static func secondsSince1970(_ text: String, now: Int) -> Int? { secondsSince1970(text[...], now: now) }

  /// Seconds since 1970-01-01T00:00:00Z (years 0000–9999), or `nil` when `text` is not an HTTP date.
  /// - Parameter now: seconds since 1970. An RFC 850 date's two-digit year is the year with those
  ///   last digits from 49 years before `now`'s year to 50 after it (RFC 9110 §5.6.7: one that
  ///   appears more than 50 years ahead is the most recent past year with the same digits).
  static func secondsSince1970(_ text: Substring, now: Int) -> Int? {
    let tokens = text.split(separator: " ").map { $0.hasSuffix(",") ? $0.dropLast() : $0 }
    let day: Int?
    let month: Int?
    let year: Int?
    let time: Substring
    switch tokens.count {
    case 6 where tokens[5] == "GMT":  // Sun, 06 Nov 1994 08:49:37 GMT
      (day, month, year, time) = (
        number(tokens[1], width: 2), monthNumber(tokens[2]), number(tokens[3], width: 4), tokens[4]
      )
    case 4 where tokens[3] == "GMT":  // Sunday, 06-Nov-94 08:49:37 GMT
      let parts = tokens[1].split(separator: "-", omittingEmptySubsequences: false)
      guard parts.count == 3, let short = number(parts[2], width: 2) else { return nil }
      (day, month, year, time) = (
        number(parts[0], width: 2), monthNumber(parts[1]), twoDigitYear(short, now: now), tokens[2]
      )
    case 5:  // Sun Nov  6 08:49:37 1994 (a one-digit day is padded with a space)
      (day, month, year, time) = (
        number(tokens[2], width: tokens[2].utf8.count == 1 ? 1 : 2), monthNumber(tokens[1]),
        number(tokens[4], width: 4), tokens[3]
      )
    default:
      return nil
    }
    let clock = time.split(separator: ":", omittingEmptySubsequences: false)
    guard let day, let month, let year, clock.count == 3, let hour = number(clock[0], width: 2),
      let minute = number(clock[1], width: 2), let second = number(clock[2], width: 2),
      (1...CivilCalendar.daysIn(month: month, year: year)).contains(day), hour <= 23, minute <= 59, second <= 60
    else { return nil }
    return CivilCalendar.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
  }

  /// The year `short` (0–99) stands for at `now` (seconds since 1970), by RFC 9110 §5.6.7.
  private static func twoDigitYear(_ short: Int, now: Int) -> Int {
    let nowYear = CivilCalendar.date(days: now / 86_400).year
    let year = nowYear - nowYear % 100 + short
    if year > nowYear + 50 { return year - 100 }
    return year <= nowYear - 50 ? year + 100 : year
  }

  /// Exactly `width` ASCII digits, as a number.
  private static func number(_ text: Substring, width: Int) -> Int? {
    guard text.utf8.count == width else { return nil }
    var value = 0
    for byte in text.utf8 {
      guard byte &- 0x30 < 10 else { return nil }
      value = value * 10 + Int(byte &- 0x30)
    }
    return value
  }

  private static func monthNumber(_ name: Substring) -> Int? {
    months.firstIndex(of: name.lowercased()).map { $0 + 1 }
  }
}
