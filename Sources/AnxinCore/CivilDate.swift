/// A calendar day with no time or zone: how every date in the extracts is meant.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Year (four digits in practice).
    public let year: Int
    /// Month, 1-12.
    public let month: Int
    /// Day of the month, 1-31.
    public let day: Int

    /// A valid date, or nil when the day does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` after 1970-01-01 (negative: before).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO form, `YYYY-MM-DD`.
    public var description: String {
        withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of `description`, made on the stack: this runs for
    /// every date of every dataset row.
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { b in
            b[0] = UInt8(0x30 + year / 1000 % 10)
            b[1] = UInt8(0x30 + year / 100 % 10)
            b[2] = UInt8(0x30 + year / 10 % 10)
            b[3] = UInt8(0x30 + year % 10)
            b[4] = 0x2D
            b[5] = UInt8(0x30 + month / 10)
            b[6] = UInt8(0x30 + month % 10)
            b[7] = 0x2D
            b[8] = UInt8(0x30 + day / 10)
            b[9] = UInt8(0x30 + day % 10)
            return try body(UnsafeBufferPointer(b))
        }
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The date `days` later (negative: earlier).
    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same calendar day `years` earlier; 29 February falls back to 28 February.
    public func yearsEarlier(_ years: Int) -> CivilDate {
        let y = year - years
        return CivilDate(year: y, month: month, day: min(day, CivilDate.daysIn(month: month, year: y)))
            ?? CivilDate(daysSinceEpoch: 0)
    }

    /// Completed years from `self` (a birth date) to `date`.
    public func age(on date: CivilDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    /// Number of days in a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Parses the forms the extracts use: `2019-08-29`, `2019/8/29`, `20190829`, `2019年8月29日`
    /// (full-width digits allowed). Anything else, or a day that does not exist, is nil.
    public static func parse(_ text: String) -> CivilDate? {
        // Fast path: the forms in plain ASCII digits, as every dataset writes them, read on bytes
        // by the same code as ingest's fast lane; anything else (spaces, full-width digits, a
        // mistake) goes the long way below.
        if let date = Text.withBytes(text, Canonical.parseDate) { return date }
        var digits: [Int] = []  // the numbers in order
        var current = -1
        var width = 0
        var widths: [Int] = []
        var separators: [Unicode.Scalar] = []
        for scalar in Text.foldFullWidth(Text.trim(text)).unicodeScalars {
            if scalar.value >= 0x30 && scalar.value <= 0x39 {
                let v = Int(scalar.value) - 0x30
                current = (current < 0 ? 0 : current) * 10 + v
                width += 1
                if width > 8 { return nil }
            } else {
                guard current >= 0 else { return nil }
                digits.append(current); widths.append(width)
                separators.append(scalar)
                current = -1; width = 0
            }
        }
        if current >= 0 { digits.append(current); widths.append(width) }
        switch (digits.count, separators.count) {
        case (1, 0) where widths[0] == 8:
            let n = digits[0]
            return CivilDate(year: n / 10000, month: n / 100 % 100, day: n % 100)
        case (3, 2) where widths[0] == 4 && (1...2).contains(widths[1]) && (1...2).contains(widths[2]):
            guard separators[0] == separators[1], separators[0] == "-" || separators[0] == "/" else { return nil }
            return CivilDate(year: digits[0], month: digits[1], day: digits[2])
        case (3, 3) where widths[0] == 4 && (1...2).contains(widths[1]) && (1...2).contains(widths[2]):
            guard separators == ["年", "月", "日"] else { return nil }
            return CivilDate(year: digits[0], month: digits[1], day: digits[2])
        default:
            return nil
        }
    }
}
