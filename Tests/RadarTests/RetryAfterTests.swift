import Testing

@testable import Radar

@Suite struct RetryAfterTests {
  private let now = 784_111_777.0  // Sun, 06 Nov 1994 08:49:37 GMT

  @Test func parsesTheThreeHTTPDateFormats() {
    #expect(HTTPDate.secondsSince1970("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
    #expect(HTTPDate.secondsSince1970("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
    #expect(HTTPDate.secondsSince1970("Sun Nov  6 08:49:37 1994") == 784_111_777)
    #expect(HTTPDate.secondsSince1970("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
    #expect(HTTPDate.secondsSince1970("Tue, 29 Feb 2028 23:59:59 GMT") == 1_835_481_599)
    for bad in [
      "", "yesterday", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT",
      "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
    ] {
      #expect(HTTPDate.secondsSince1970(bad) == nil, "\(bad)")
    }
  }

  @Test func readsDelaySecondsOrADateRelativeToNow() {
    #expect(RetryAfter.seconds(in: ["retry-after": "120"], now: now) == 120)
    #expect(RetryAfter.seconds(in: ["retry-after": " 2 "], now: now) == 2)
    #expect(RetryAfter.seconds(in: ["retry-after": "1.5"], now: now) == 1.5)
    #expect(RetryAfter.seconds(in: ["retry-after": "Sun, 06 Nov 1994 08:50:07 GMT"], now: now) == 30)
    #expect(RetryAfter.seconds(in: ["retry-after": "Sun, 06 Nov 1994 08:00:00 GMT"], now: now) == 0)
    #expect(RetryAfter.seconds(in: ["retry-after-ms": "250", "retry-after": "9"], now: now) == 0.25)
    for bad in ["-1", "soon", "", "inf", "nan"] {
      #expect(RetryAfter.seconds(in: ["retry-after": bad], now: now) == nil, "\(bad)")
    }
    #expect(RetryAfter.seconds(in: [:], now: now) == nil)
  }
}
