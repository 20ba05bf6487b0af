import Testing

@testable import Radar

/// `Retry-After` as RFC 9110 §10.2.3 defines it, read only on 429 and 503, and clamped (contract §7).
@Suite struct RetryAfterTests {
  private let now = 784_111_777.0  // Sun, 06 Nov 1994 08:49:37 GMT

  private func seconds(_ headers: [String: String], status: Int = 429) -> Double? {
    RetryAfter.seconds(status: status, headers: headers, now: now)
  }

  @Test func parsesTheThreeHTTPDateFormats() {
    #expect(HTTPDate.secondsSince1970("Sun, 06 Nov 1994 08:49:37 GMT", now: Int(now)) == 784_111_777)
    #expect(HTTPDate.secondsSince1970("Sunday, 06-Nov-94 08:49:37 GMT", now: Int(now)) == 784_111_777)
    #expect(HTTPDate.secondsSince1970("Sun Nov  6 08:49:37 1994", now: Int(now)) == 784_111_777)
    #expect(HTTPDate.secondsSince1970("Thu, 01 Jan 1970 00:00:00 GMT", now: Int(now)) == 0)
    #expect(HTTPDate.secondsSince1970("Tue, 29 Feb 2028 23:59:59 GMT", now: Int(now)) == 1_835_481_599)
    #expect(HTTPDate.secondsSince1970("Sat, 01 Jan 0000 00:00:00 GMT", now: Int(now)) == -62_167_219_200)
    #expect(HTTPDate.secondsSince1970("Fri, 31 Dec 9999 23:59:59 GMT", now: Int(now)) == 253_402_300_799)
    for bad in [
      "", "yesterday", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT",
      "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
      // Years, days and clock fields have fixed widths: nothing from outside can overflow.
      "Sun, 06 Nov 99999999999999 08:49:37 GMT", "Sun, 06 Nov 19940 08:49:37 GMT", "Sun, 06 Nov 994 08:49:37 GMT",
      "Sun, 06 Nov -1994 08:49:37 GMT", "Sun, 06 Nov +1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06 Nov 1994 08:49:9999999999999999999 GMT",
      "Sun, 30 Feb 1994 08:49:37 GMT", "Sun, 29 Feb 1900 08:49:37 GMT",
      "Sunday, 06-Nov-99999999999999 08:49:37 GMT", "Sun Nov  6 08:49:37 99999999999999",
    ] {
      #expect(HTTPDate.secondsSince1970(bad, now: Int(now)) == nil, "\(bad)")
    }
  }

  /// RFC 9110 §5.6.7: an RFC 850 year more than 50 years ahead of now is the century before.
  @Test func twoDigitYearsAreAtMostFiftyYearsAhead() {
    let in2026 = 1_780_000_000  // 2026-05-28
    #expect(HTTPDate.secondsSince1970("Thursday, 01-Jan-76 00:00:00 GMT", now: in2026) == 3_345_062_400)  // 2076
    #expect(HTTPDate.secondsSince1970("Friday, 01-Jan-77 00:00:00 GMT", now: in2026) == 220_924_800)  // 1977
    #expect(HTTPDate.secondsSince1970("Thursday, 01-Jan-26 00:00:00 GMT", now: in2026) == 1_767_225_600)  // 2026
    #expect(HTTPDate.secondsSince1970("Sunday, 06-Nov-94 08:49:37 GMT", now: Int(now)) == 784_111_777)  // 1994
    #expect(HTTPDate.secondsSince1970("Monday, 01-Jan-40 00:00:00 GMT", now: Int(now)) == 2_208_988_800)  // 2040
  }

  @Test func readsDelaySecondsOrADateRelativeToNow() {
    #expect(seconds(["retry-after": "120"]) == 120)
    #expect(seconds(["retry-after": " 2 "]) == 2)
    #expect(seconds(["retry-after": "Sun, 06 Nov 1994 08:50:07 GMT"]) == 30)
    #expect(seconds(["retry-after": "Sun, 06 Nov 1994 08:00:00 GMT"]) == 0)
    #expect(seconds(["retry-after": "Sat, 01 Jan 0000 00:00:00 GMT"]) == 0)
    #expect(seconds(["retry-after-ms": "250", "retry-after": "9"]) == 0.25)
    #expect(seconds([:]) == nil)
  }

  /// RFC 9110 allows digits only: a sign, a fraction, hex or an exponent is no delay at all.
  @Test func anythingButDigitsOrADateIsAbsent() {
    for bad in ["-1", "1.5", "0x3", "1e3", "+3", "3 s", "soon", "", " ", "inf", "nan", "٣", "Infinity"] {
      #expect(seconds(["retry-after": bad]) == nil, "\(bad)")
      #expect(seconds(["retry-after-ms": bad]) == nil, "ms \(bad)")
    }
    // An invalid retry-after-ms does not hide a valid Retry-After.
    #expect(seconds(["retry-after-ms": "-5", "retry-after": "4"]) == 4)
  }

  /// Huge values saturate at 86400 s instead of overflowing anything.
  @Test func hugeValuesAreClampedToADay() {
    #expect(seconds(["retry-after": "9223372036854775807"]) == 86_400)
    #expect(seconds(["retry-after": "99999999999999999999999999999999999999"]) == 86_400)
    #expect(seconds(["retry-after-ms": "99999999999999999999999"]) == 86_400)
    #expect(seconds(["retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"]) == 86_400)
    #expect(seconds(["retry-after": "86401"]) == 86_400)
    #expect(seconds(["retry-after": "86400"]) == 86_400)
  }

  /// Only 429 and 503 ask for a wait; on any other status the header is not even parsed.
  @Test func onlyTooManyRequestsAndServiceUnavailableAreRead() {
    #expect(seconds(["retry-after": "5"], status: 503) == 5)
    for status in [200, 301, 400, 401, 403, 408, 500, 502, 504] {
      #expect(seconds(["retry-after": "5"], status: status) == nil, "\(status)")
    }
  }
}
