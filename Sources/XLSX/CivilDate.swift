/// A calendar date with no time of day and no time zone, as an official reads it in a cell.
///
/// Dates are written as Excel serial day numbers (1900 date system) computed here from the
/// year, month and day alone, so no clock, calendar or time zone of the machine is involved.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1900...9999 (Excel's range).
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month.
    public let day: Int

    /// The date `year`-`month`-`day`; throws if it does not exist or Excel cannot show it.
    public init(year: Int, month: Int, day: Int) throws(XLSXError) {
        // Built only when the date is refused: this runs for every date cell.
        func operation() -> String { "making the date \(year)-\(month)-\(day)" }
        guard (1900...9999).contains(year) else {
            throw XLSXError.invalidArgument(operation: operation(), reason: "Excel dates run from 1900 to 9999")
        }
        guard (1...12).contains(month) else {
            throw XLSXError.invalidArgument(operation: operation(), reason: "the month must be 1...12")
        }
        guard (1...CivilDate.days(inMonth: month, year: year)).contains(day) else {
            throw XLSXError.invalidArgument(operation: operation(), reason: "that month has no day \(day)")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date as `yyyy-mm-dd`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Orders dates chronologically.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The Excel serial day number: 1900-01-01 is 1; from 1900-03-01 on, one more, because
    /// Excel counts the 29 February 1900 that never was (Lotus 1-2-3 compatibility).
    public var excelSerial: Int {
        let serial = CivilDate.daysSince1970(year: year, month: month, day: day) + 25_568
        return (year, month) < (1900, 3) ? serial : serial + 1
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
