import Foundation
import JSON
import Radar
import Testing

/// `PERCENTAGE`, `MIN0_MAX`, `RAW_VALUES` and `PERCENTAGE_CHANGE` follow Radar's rules.
@Suite("Demo backend: normalization")
struct DemoNormalizationTests {
  @Test("PERCENTAGE (the default) sums to 100 at every timestamp", arguments: DemoShapeTests.cases)
  func percentage(_ id: String) throws {
    let (endpoint, dimension) = DemoShapeTests.endpoint(id)
    for extra in [[], [("normalization", "PERCENTAGE")]] as [[(String, String)]] {
      let answer = try DemoFixture.answer(
        endpoint, dimension, [("dateRange", "2d"), ("dateRange", "2dcontrol")] + extra)
      #expect(answer["meta"]?["normalization"]?.stringValue == "PERCENTAGE")
      for key in ["serie_0", "serie_1"] {
        let series = try DemoSeries(answer[key]?.objectValue)
        for i in series.timestamps.indices {
          #expect(abs(series.total(at: i) - 100) < 1e-6, "\(id) \(key) at \(series.timestamps[i])")
        }
        #expect(series.texts.values.allSatisfy { $0.allSatisfy { $0.split(separator: ".").last?.count == 4 } })
      }
    }
  }

  @Test("MIN0_MAX scales every series together into [0, 1] with the maximum exactly 1")
  func minZeroMax() throws {
    let answer = try DemoFixture.answer(
      DemoFixture.leaked, "COMPROMISED",
      [
        ("normalization", "MIN0_MAX"), ("dateRange", "7d"), ("dateRange", "7d"), ("location", ""), ("location", "PT"),
      ])
    #expect(answer["meta"]?["normalization"]?.stringValue == "MIN0_MAX")
    let all = try ["serie_0", "serie_1"].map { try DemoSeries(answer[$0]?.objectValue) }
    let values = all.flatMap { $0.values.values.flatMap { $0 } }
    #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(values.max() == 1)
    #expect(values.filter { $0 == 1 }.count == 1)
    // The filtered series is smaller than the worldwide one, so its maximum stays below 1.
    let worldwide = all[0].values.values.flatMap { $0 }.max() ?? 0
    let portugal = all[1].values.values.flatMap { $0 }.max() ?? 0
    #expect(worldwide == 1 && portugal < 0.9)
  }

  @Test("RAW_VALUES are plausible counts that grow with the interval")
  func rawValues() throws {
    let hourly = try DemoFixture.answer(
      DemoFixture.ct, "ENTRY_TYPE", [("normalization", "RAW_VALUES"), ("dateRange", "2d")])
    #expect(hourly["meta"]?["normalization"]?.stringValue == "RAW_VALUES")
    let series = try DemoSeries(hourly["serie_0"]?.objectValue)
    #expect(series.texts.values.allSatisfy { $0.allSatisfy { Int($0) != nil } }, "counts are integers")
    let perHour = series.timestamps.indices.map(series.total(at:))
    #expect(perHour.allSatisfy { $0 > 100_000 && $0 < 10_000_000 })  // CT logs see about a million entries an hour
    let daily = try DemoFixture.answer(
      DemoFixture.ct, "ENTRY_TYPE", [("normalization", "RAW_VALUES"), ("dateRange", "2d"), ("aggInterval", "1d")])
    let days = try DemoSeries(daily["serie_0"]?.objectValue)
    let perDay = days.total(at: 0)
    #expect(perDay > 18 * perHour.min()! && perDay < 30 * perHour.max()!)
  }

  @Test("the daily rhythm shows: netflows peak in the evening and dip at night, local time")
  func dailyRhythm() throws {
    let answer = try DemoFixture.answer(
      DemoFixture.netflows, "LOCATION", [("normalization", "RAW_VALUES"), ("dateRange", "7d"), ("location", "US,JP")])
    let series = try DemoSeries(answer["serie_0"]?.objectValue)
    let seconds = try series.seconds()
    func meanByUTCHour(_ key: String) -> [Double] {
      var sums = [Double](repeating: 0, count: 24)
      for (i, t) in seconds.enumerated() { sums[Int(t % 86_400 / 3_600)] += series.values[key]![i] }
      return sums
    }
    let us = meanByUTCHour("US")
    let jp = meanByUTCHour("JP")
    let usPeak = us.firstIndex(of: us.max()!)!
    let jpPeak = jp.firstIndex(of: jp.max()!)!
    #expect((0...4).contains(usPeak), "US evening is 00:00–04:00 UTC, got \(usPeak)")
    #expect((10...14).contains(jpPeak), "Japan evening is 10:00–14:00 UTC, got \(jpPeak)")
    #expect(us.max()! > 1.5 * us.min()!)
  }

  @Test("the weekly rhythm shows: fewer certificates are logged at the weekend")
  func weeklyRhythm() throws {
    let answer = try DemoFixture.answer(
      DemoFixture.ct, "ENTRY_TYPE", [("normalization", "RAW_VALUES"), ("dateRange", "12w"), ("aggInterval", "1d")])
    let series = try DemoSeries(answer["serie_0"]?.objectValue)
    var weekday = 0.0
    var weekend = 0.0
    for (i, t) in try series.seconds().enumerated() {
      let day = (t / 86_400 + 3) % 7  // 0 = Monday
      if day >= 5 { weekend += series.total(at: i) / 2 } else { weekday += series.total(at: i) / 5 }
    }
    #expect(weekend < 0.95 * weekday)
  }

  @Test("PERCENTAGE_CHANGE compares the main series with its comparison, around 0")
  func percentageChange() throws {
    let answer = try DemoFixture.answer(
      DemoFixture.netflows, "LOCATION",
      [("normalization", "PERCENTAGE_CHANGE"), ("dateRange", "7d"), ("dateRange", "7dcontrol")])
    #expect(answer["meta"]?["normalization"]?.stringValue == "PERCENTAGE_CHANGE")
    let main = try DemoSeries(answer["serie_0"]?.objectValue)
    let base = try DemoSeries(answer["serie_1"]?.objectValue)
    #expect(main.keys == base.keys)
    let changes = main.values.values.flatMap { $0 }
    #expect(changes.contains { $0 < 0 } && changes.contains { $0 > 0 })
    #expect(changes.allSatisfy { abs($0) < 50 })
    #expect(abs(changes.reduce(0, +) / Double(changes.count)) < 10)
    #expect(base.values.values.allSatisfy { $0.allSatisfy { $0 == 0 } }, "the baseline against itself")

    // The change is the one between the raw values of the two windows.
    let raw = try DemoFixture.answer(
      DemoFixture.netflows, "LOCATION",
      [("normalization", "RAW_VALUES"), ("dateRange", "7d"), ("dateRange", "7dcontrol")])
    let now = try DemoSeries(raw["serie_0"]?.objectValue).values["US"]!
    let before = try DemoSeries(raw["serie_1"]?.objectValue).values["US"]!
    for i in [0, 50, 167] {
      #expect(abs(main.values["US"]![i] - (now[i] / before[i] - 1) * 100) < 0.001)
    }
  }

  @Test("PERCENTAGE_CHANGE needs exactly one comparison series")
  func percentageChangeNeedsTwo() throws {
    for ranges in [["7d"], ["7d", "7dcontrol", "7d"]] {
      let error = DemoFixture.error(
        DemoFixture.netflows, "PRODUCT", [("normalization", "PERCENTAGE_CHANGE")] + ranges.map { ("dateRange", $0) })
      #expect(error?.upstreamCode?.code == 2001)
    }
  }
}
