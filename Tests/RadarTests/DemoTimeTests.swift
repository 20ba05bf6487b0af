import Foundation
import JSON
import Radar
import Testing

/// `dateRange`, control ranges, `dateStart`/`dateEnd` and `aggInterval` give the time axis.
@Suite("Demo backend: time axis")
struct DemoTimeTests {
  let ct = DemoFixture.ct
  let day: Int64 = 86_400

  func ranges(_ answer: JSONObject) throws -> [(start: Int64, end: Int64)] {
    try #require(answer["meta"]?["dateRange"]?.arrayValue).map {
      (try demoSeconds($0["startTime"]?.stringValue), try demoSeconds($0["endTime"]?.stringValue))
    }
  }

  @Test("control windows are shifted back by the length rounded up to whole weeks")
  func controlWindows() throws {
    let hourStart = DemoFixture.nowSeconds / 3_600 * 3_600 + 3_600  // 1h buckets end with the current hour's
    for (range, control, shiftDays) in [("7d", "7dcontrol", 7), ("10d", "10dcontrol", 14), ("2w", "2wControl", 14)]
      as [(String, String, Int64)]
    {
      let answer = try DemoFixture.answer(
        ct, "CA", [("dateRange", range), ("dateRange", control), ("aggInterval", "1h")])
      let windows = try ranges(answer)
      let length = try DemoWindowLength.days(range) * day
      #expect(windows[0].end == hourStart)
      #expect(windows[0].start == hourStart - length)
      #expect(windows[1].end == hourStart - shiftDays * day, "\(control)")
      #expect(windows[1].start == hourStart - shiftDays * day - length, "\(control)")
      let main = try DemoSeries(answer["serie_0"]?.objectValue)
      let previous = try DemoSeries(answer["serie_1"]?.objectValue)
      #expect(try previous.seconds().first == windows[1].start)
      #expect(try previous.seconds().last == windows[1].end - 3_600)
      #expect(main.timestamps.count == previous.timestamps.count)
    }
  }

  @Test("7dcontrol covers the 7 days before 7d, and 10dcontrol 10 days two weeks before 10d")
  func controlDays() throws {
    let answer = try DemoFixture.answer(ct, "TLD", [("dateRange", "10dcontrol"), ("aggInterval", "1d")])
    let window = try ranges(answer)[0]
    let tomorrow = DemoFixture.nowSeconds / day * day + day  // 1d windows end with today's bucket
    #expect(window.start == tomorrow - 24 * day && window.end == tomorrow - 14 * day)
    let week = try ranges(try DemoFixture.answer(ct, "TLD", [("dateRange", "7dcontrol"), ("aggInterval", "1d")]))[0]
    #expect(week.start == tomorrow - 14 * day && week.end == tomorrow - 7 * day)
  }

  @Test("dateStart/dateEnd are floored to 15 minutes and the end is inclusive")
  func explicitDates() throws {
    let answer = try DemoFixture.answer(
      ct, "ENTRY_TYPE",
      [("dateStart", "2026-11-10T02:07:33.120Z"), ("dateEnd", "2026-11-10T05:14:59Z"), ("aggInterval", "15m")])
    let window = try ranges(answer)[0]
    #expect(window.start == (try demoSeconds("2026-11-10T02:00:00Z")))
    #expect(window.end == (try demoSeconds("2026-11-10T05:00:00Z")))
    let series = try DemoSeries(answer["serie_0"]?.objectValue)
    #expect(series.timestamps.first == "2026-11-10T02:00:00Z")
    #expect(series.timestamps.last == "2026-11-10T05:00:00Z")
    #expect(series.timestamps.count == 13)
    // Offsets are honoured: 03:00+01:00 is 02:00Z.
    let shifted = try DemoFixture.answer(
      ct, "ENTRY_TYPE",
      [("dateStart", "2026-11-10T03:00:00+01:00"), ("dateEnd", "2026-11-10T06:00:00+01:00"), ("aggInterval", "15m")])
    #expect(try DemoSeries(shifted["serie_0"]?.objectValue).timestamps.first == "2026-11-10T02:00:00Z")
  }

  @Test("an explicit window never shows an incomplete bucket")
  func explicitWindowStopsAtNow() throws {
    let answer = try DemoFixture.answer(
      ct, "ENTRY_TYPE",
      [("dateStart", "2026-11-16T08:00:00Z"), ("dateEnd", "2026-11-17T00:00:00Z"), ("aggInterval", "1h")])
    let series = try DemoSeries(answer["serie_0"]?.objectValue)
    #expect(series.timestamps == ["2026-11-16T08:00:00Z", "2026-11-16T09:00:00Z"])
  }

  @Test(
    "without aggInterval the interval follows the range",
    arguments: [
      ("1d", "FIFTEEN_MINUTES", 96), ("2d", "ONE_HOUR", 48), ("7d", "ONE_HOUR", 168), ("4w", "ONE_HOUR", 672),
      ("31d", "ONE_HOUR", 744), ("32d", "ONE_DAY", 32), ("52w", "ONE_DAY", 364),
    ])
  func automaticInterval(_ range: String, _ name: String, _ points: Int) throws {
    let answer = try DemoFixture.answer(DemoFixture.netflows, "PRODUCT", [("dateRange", range)])
    #expect(answer["meta"]?["aggInterval"]?.stringValue == name)
    #expect(try DemoSeries(answer["serie_0"]?.objectValue).timestamps.count == points)
  }

  @Test(
    "an interval too fine for the range is rejected with 400/2001",
    arguments: [
      ("15m", "8d"), ("1h", "14w"), ("15m", "2w"),
    ])
  func tooFine(_ interval: String, _ range: String) throws {
    let error = try #require(DemoFixture.error(ct, "CA", [("dateRange", range), ("aggInterval", interval)]))
    #expect(error.upstreamCode?.status == 400 && error.upstreamCode?.code == 2001)
    #expect(DemoFixture.error(ct, "CA", [("dateRange", range), ("aggInterval", "1d")]) == nil)
  }

  @Test("weeks start on Monday and days at midnight UTC")
  func coarseAlignment() throws {
    let weekly = try DemoFixture.answer(
      DemoFixture.leaked, "COMPROMISED", [("dateRange", "12w"), ("aggInterval", "1w")])
    let weeks = try DemoSeries(weekly["serie_0"]?.objectValue)
    #expect(weeks.timestamps.count == 12)
    #expect(weeks.timestamps.last == "2026-11-16T00:00:00Z")  // the current week, still filling
    let calendar = {
      var c = Calendar(identifier: .gregorian)
      c.timeZone = TimeZone(identifier: "UTC")!
      return c
    }()
    for t in try weeks.seconds() {
      #expect(calendar.component(.weekday, from: Date(timeIntervalSince1970: TimeInterval(t))) == 2)
    }
    let daily = try DemoFixture.answer(DemoFixture.leaked, "COMPROMISED", [("dateRange", "3d"), ("aggInterval", "1d")])
    #expect(
      try DemoSeries(daily["serie_0"]?.objectValue).timestamps == [
        "2026-11-14T00:00:00Z", "2026-11-15T00:00:00Z", "2026-11-16T00:00:00Z",
      ])
  }

  @Test("series must resolve to the same duration")
  func sameDuration() throws {
    let error = try #require(DemoFixture.error(ct, "CA", [("dateRange", "7d"), ("dateRange", "14d")]))
    #expect(error.upstreamCode?.code == 2001)
    let explicit = DemoFixture.error(
      ct, "CA",
      [
        ("dateStart", ""), ("dateStart", "2026-10-01T00:00:00Z"), ("dateEnd", ""), ("dateEnd", "2026-10-08T00:00:00Z"),
        ("dateRange", "7d"), ("dateRange", ""),
      ])
    #expect(explicit == nil, "a 7-day explicit window matches 7d")
  }

  @Test("series without dates take the main series' window; no dates at all means the last 7 days")
  func defaultWindows() throws {
    let none = try DemoFixture.answer(DemoFixture.netflows, "PRODUCT", [])
    let window = try ranges(none)[0]
    #expect(window.end - window.start == 7 * day)
    #expect(none["meta"]?["aggInterval"]?.stringValue == "ONE_HOUR")
    let inherited = try DemoFixture.answer(
      DemoFixture.netflows, "AS", [("dateRange", "2d"), ("location", "US"), ("location", "PT")])
    let windows = try ranges(inherited)
    #expect(windows.count == 2 && windows[0] == windows[1])
  }

  @Test(
    "malformed dates are rejected like Radar does",
    arguments: [
      ("dateRange", "0d"), ("dateRange", "365d"), ("dateRange", "53w"), ("dateRange", "7x"), ("dateRange", "d"),
      ("dateStart", "yesterday"), ("dateEnd", "2026-13-01T00:00:00Z"), ("aggInterval", "5m"),
    ])
  func malformed(_ name: String, _ value: String) throws {
    let error = try #require(DemoFixture.error(ct, "CA", [(name, value)]))
    #expect(error.upstreamCode?.status == 400 && error.upstreamCode?.code == 2001)
  }

  @Test("dateStart after dateEnd is rejected")
  func reversed() throws {
    let error = DemoFixture.error(
      ct, "CA", [("dateStart", "2026-11-10T00:00:00Z"), ("dateEnd", "2026-11-09T00:00:00Z")])
    #expect(error?.upstreamCode?.code == 2001)
  }
}
