import Radar
import Testing

@Suite struct CivilCalendarTests {
  @Test func knownDays() {
    #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
    #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
    #expect(CivilCalendar.days(year: 1969, month: 12, day: 31) == -1)
    #expect(CivilCalendar.date(days: 20_773) == (2026, 11, 16) as (Int, Int, Int))
  }

  @Test func dateIsTheInverseOfDays() {
    for days in stride(from: -800_000, through: 800_000, by: 97) {
      let date = CivilCalendar.date(days: days)
      #expect(CivilCalendar.days(year: date.year, month: date.month, day: date.day) == days)
    }
  }

  @Test func monthLengthsFollowTheLeapYearRule() {
    #expect(CivilCalendar.daysIn(month: 2, year: 2024) == 29)
    #expect(CivilCalendar.daysIn(month: 2, year: 1900) == 28)
    #expect(CivilCalendar.daysIn(month: 2, year: 2000) == 29)
    #expect(CivilCalendar.daysIn(month: 4, year: 2026) == 30)
    #expect(CivilCalendar.daysIn(month: 12, year: 2026) == 31)
  }
}
