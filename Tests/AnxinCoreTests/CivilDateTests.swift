import Testing
@testable import AnxinCore

@Suite("CivilDate")
struct CivilDateTests {
    // MARK: Parsing

    @Test("the four extract forms, with full-width digits, give the same date", arguments: [
        "2019-08-29", "2019/8/29", "2019/08/29", "2019-8-29", "20190829", "2019年8月29日", "2019年08月29日",
        "２０１９－０８－２９", "２０１９/８/２９", "２０１９０８２９", "２０１９年８月２９日",
        "  2019-08-29  ", "\u{3000}2019年8月29日\u{3000}", "\t20190829\r\n",
    ])
    func parsesEveryForm(_ text: String) {
        #expect(CivilDate.parse(text) == day(2019, 8, 29))
    }

    @Test("impossible or malformed dates are nil", arguments: [
        "2019-02-29", "2019-13-01", "2019-00-10", "2019-04-31", "2019-08-00", "2019-08-32", "1900-02-29",
        "2019-8", "2019", "19-08-29", "2019-08-29 10:00", "2019-08-29T10:00", "2019-08/29", "2019/08-29",
        "2019.08.29", "2019 08 29", "2019年8月29", "2019年8-29日", "2019-08-29-", "-2019-08-29",
        "2019--08-29", "2019-008-29", "2019-08-029", "201908290", "2019829", "20191301", "20190230",
        "00000101", "0000-01-01", "08/29/2019", "29.08.2019", "yesterday", "", "   ",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(CivilDate.parse(text) == nil)
    }

    @Test("every day from 1900 to 2100 parses back from each of the four forms")
    func everyDayParsesBack() {
        var failures: [String] = []
        var n = day(1900, 1, 1).daysSinceEpoch
        let end = day(2100, 12, 31).daysSinceEpoch
        while n <= end {
            let d = CivilDate(daysSinceEpoch: n)
            let forms = [
                d.description, "\(d.year)/\(d.month)/\(d.day)",
                d.description.filter { $0 != "-" }, "\(d.year)年\(d.month)月\(d.day)日",
            ]
            for form in forms where CivilDate.parse(form) != d {
                if failures.count < 10 { failures.append(form) }
            }
            n += 1
        }
        #expect(failures.isEmpty)
    }

    @Test("leap days exist only in leap years", arguments: [
        ("2000-02-29", true), ("2020-02-29", true), ("2016/2/29", true), ("19960229", true),
        ("1900-02-29", false), ("2100-02-29", false), ("2019-02-29", false), ("2018年2月29日", false),
    ])
    func leapDays(_ text: String, exists: Bool) {
        #expect((CivilDate.parse(text) != nil) == exists)
    }

    @Test("the memberwise initializer refuses days that do not exist")
    func initializerValidates() {
        #expect(CivilDate(year: 2019, month: 8, day: 29) != nil)
        #expect(CivilDate(year: 2019, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 2019, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2019, month: 1, day: 0) == nil)
        #expect(CivilDate(year: 2019, month: 1, day: 32) == nil)
        #expect(CivilDate(year: 2019, month: 6, day: 31) == nil)
        #expect(CivilDate(year: 0, month: 1, day: 1) == nil)
        #expect(CivilDate(year: 10000, month: 1, day: 1) == nil)
        #expect(CivilDate(year: 1, month: 1, day: 1) != nil)
        #expect(CivilDate(year: 9999, month: 12, day: 31) != nil)
    }

    @Test("description is ISO YYYY-MM-DD, zero-padded, and parses back")
    func description() {
        #expect(day(2019, 8, 29).description == "2019-08-29")
        #expect(day(2019, 1, 2).description == "2019-01-02")
        #expect(day(5, 3, 4).description == "0005-03-04")
        #expect(CivilDate.parse(day(1999, 12, 31).description) == day(1999, 12, 31))
    }

    // MARK: Calendar

    @Test("leap years and month lengths follow the Gregorian rules")
    func leapYearRules() {
        #expect(CivilDate.isLeap(2000))
        #expect(CivilDate.isLeap(2020))
        #expect(!CivilDate.isLeap(1900))
        #expect(!CivilDate.isLeap(2019))
        #expect(CivilDate.daysIn(month: 2, year: 2020) == 29)
        #expect(CivilDate.daysIn(month: 2, year: 2019) == 28)
        #expect(CivilDate.daysIn(month: 2, year: 2100) == 28)
        #expect([1, 3, 5, 7, 8, 10, 12].allSatisfy { CivilDate.daysIn(month: $0, year: 2019) == 31 })
        #expect([4, 6, 9, 11].allSatisfy { CivilDate.daysIn(month: $0, year: 2019) == 30 })
    }

    @Test("ordering is by year, then month, then day")
    func ordering() {
        #expect(day(2019, 8, 29) < day(2019, 8, 30))
        #expect(day(2019, 8, 31) < day(2019, 9, 1))
        #expect(day(2018, 12, 31) < day(2019, 1, 1))
        #expect(!(day(2019, 8, 29) < day(2019, 8, 29)))
        #expect(max(day(2016, 5, 10), day(2017, 5, 10)) == day(2017, 5, 10))
    }

    // MARK: Day numbers

    @Test("daysSinceEpoch of known dates", arguments: [
        (1970, 1, 1, 0), (1969, 12, 31, -1), (1970, 1, 2, 1), (2000, 3, 1, 11_017), (2019, 8, 29, 18_137),
        (1600, 2, 29, -135_081), (1, 1, 1, -719_162), (9999, 12, 31, 2_932_896),
    ])
    func knownDayNumbers(_ y: Int, _ m: Int, _ d: Int, _ n: Int) {
        #expect(day(y, m, d).daysSinceEpoch == n)
        #expect(CivilDate(daysSinceEpoch: n) == day(y, m, d))
    }

    @Test("daysSinceEpoch round-trips every day from 0001-01-01 to 9999-12-31, one day at a time")
    func dayNumberRoundTrip() {
        var expected = day(1, 1, 1)
        var mismatches: [String] = []
        for n in -719_162...2_932_896 {
            let date = CivilDate(daysSinceEpoch: n)
            if date != expected || date.daysSinceEpoch != n {
                if mismatches.count < 10 { mismatches.append("\(n): \(date) expected \(expected)") }
            }
            // The next day, by the calendar rules alone.
            if expected.day < CivilDate.daysIn(month: expected.month, year: expected.year) {
                expected = CivilDate(year: expected.year, month: expected.month, day: expected.day + 1)!
            } else if expected.month < 12 {
                expected = CivilDate(year: expected.year, month: expected.month + 1, day: 1)!
            } else if expected.year < 9999 {
                expected = CivilDate(year: expected.year + 1, month: 1, day: 1)!
            }
        }
        #expect(mismatches.isEmpty)
    }

    @Test("adding days crosses months, years and leap days")
    func addingDays() {
        #expect(day(2019, 8, 29).adding(days: 1) == day(2019, 8, 30))
        #expect(day(2019, 8, 29).adding(days: 3) == day(2019, 9, 1))
        #expect(day(2019, 8, 29).adding(days: -365) == day(2018, 8, 29))
        #expect(day(2020, 8, 29).adding(days: -365) == day(2019, 8, 30))
        #expect(day(2019, 12, 31).adding(days: 1) == day(2020, 1, 1))
        #expect(day(2020, 2, 28).adding(days: 1) == day(2020, 2, 29))
        #expect(day(2019, 2, 28).adding(days: 1) == day(2019, 3, 1))
        #expect(day(2019, 8, 29).adding(days: 0) == day(2019, 8, 29))
    }

    // MARK: Years and ages

    @Test("yearsEarlier keeps the calendar day; 29 February falls back to 28 February", arguments: [
        (day(2019, 8, 29), 5, day(2014, 8, 29)),
        (day(2019, 8, 29), 3, day(2016, 8, 29)),
        (day(2020, 2, 29), 1, day(2019, 2, 28)),
        (day(2020, 2, 29), 3, day(2017, 2, 28)),
        (day(2020, 2, 29), 4, day(2016, 2, 29)),
        (day(2020, 2, 29), 100, day(1920, 2, 29)),
        (day(2000, 2, 29), 100, day(1900, 2, 28)),
        (day(2019, 3, 1), 1, day(2018, 3, 1)),
        (day(2019, 2, 28), 1, day(2018, 2, 28)),
        (day(2021, 2, 28), 1, day(2020, 2, 28)),
        (day(2019, 12, 31), 0, day(2019, 12, 31)),
    ])
    func yearsEarlier(_ from: CivilDate, _ years: Int, _ expected: CivilDate) {
        #expect(from.yearsEarlier(years) == expected)
    }

    @Test("age on the day before, of and after a birthday", arguments: [
        (day(2001, 8, 29), day(2019, 8, 28), 17),
        (day(2001, 8, 29), day(2019, 8, 29), 18),
        (day(2001, 8, 29), day(2019, 8, 30), 18),
        (day(1954, 8, 29), day(2019, 8, 28), 64),
        (day(1954, 8, 29), day(2019, 8, 29), 65),
        (day(1954, 8, 29), day(2020, 8, 29), 66),
        (day(1990, 1, 1), day(2019, 8, 29), 29),
        (day(1990, 12, 31), day(2019, 8, 29), 28),
        (day(2019, 8, 29), day(2019, 8, 29), 0),
    ])
    func age(_ birth: CivilDate, _ on: CivilDate, _ expected: Int) {
        #expect(birth.age(on: on) == expected)
    }

    @Test("a leap-day birthday is reached on 1 March in common years and on 29 February in leap years", arguments: [
        (day(2019, 2, 28), 18), (day(2019, 3, 1), 19),
        (day(2018, 2, 28), 17), (day(2018, 3, 1), 18),
        (day(2020, 2, 28), 19), (day(2020, 2, 29), 20), (day(2020, 3, 1), 20),
    ])
    func leapDayBirthday(_ on: CivilDate, _ expected: Int) {
        #expect(day(2000, 2, 29).age(on: on) == expected)
    }

    @Test("age and yearsEarlier agree: 18 or older exactly when born on or before as-of minus 18 years")
    func ageAgreesWithYearsEarlier() {
        let asOfDays = [day(2019, 8, 29), day(2019, 2, 28), day(2019, 3, 1), day(2020, 2, 29), day(2020, 2, 28)]
        var disagreements: [String] = []
        for asOf in asOfDays {
            let cutoff = asOf.yearsEarlier(18)
            for offset in -400...400 {
                let birth = cutoff.adding(days: offset)
                if (birth.age(on: asOf) >= 18) != (birth <= cutoff) {
                    disagreements.append("born \(birth), as of \(asOf)")
                }
            }
        }
        #expect(disagreements.isEmpty)
    }
}
