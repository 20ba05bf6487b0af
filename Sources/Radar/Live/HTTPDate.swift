/// Parses the three date formats HTTP allows (RFC 9110 §5.6.7), as `Retry-After` may carry them:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`, and
/// asctime `Sun Nov  6 08:49:37 1994`. Hand-written: no formatter, no locale, no time zone database.
enum HTTPDate {
  private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

  /// Seconds since 1970-01-01T00:00:00Z, or `nil` when `text` is not an HTTP date.
  static func secondsSince1970(_ text: String) -> Int? {
    let tokens = text.split(separator: " ").map { $0.trimmingSuffix(",") }
    let day: Int?
    let month: Int?
    let year: Int?
    let time: Substring
    switch tokens.count {
    case 6 where tokens[5] == "GMT":  // Sun, 06 Nov 1994 08:49:37 GMT
      (day, month, year, time) = (Int(tokens[1]), monthNumber(tokens[2]), Int(tokens[3]), tokens[4])
    case 4 where tokens[3] == "GMT":  // Sunday, 06-Nov-94 08:49:37 GMT
      let parts = tokens[1].split(separator: "-")
      guard parts.count == 3, let short = Int(parts[2]) else { return nil }
      (day, month, year, time) = (
        Int(parts[0]), monthNumber(parts[1]), short < 70 ? 2000 + short : 1900 + short, tokens[2]
      )
    case 5:  // Sun Nov  6 08:49:37 1994
      (day, month, year, time) = (Int(tokens[2]), monthNumber(tokens[1]), Int(tokens[4]), tokens[3])
    default:
      return nil
    }
    let clock = time.split(separator: ":").compactMap { Int($0) }
    guard let day, let month, let year, (1...31).contains(day), clock.count == 3, (0...23).contains(clock[0]),
      (0...59).contains(clock[1]), (0...60).contains(clock[2])
    else { return nil }
    return CivilCalendar.days(year: year, month: month, day: day) * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
  }

  private static func monthNumber(_ name: Substring) -> Int? {
    months.firstIndex(of: name.lowercased()).map { $0 + 1 }
  }
}

extension Substring {
  fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
    hasSuffix(suffix) ? dropLast(suffix.count) : self
  }
}
