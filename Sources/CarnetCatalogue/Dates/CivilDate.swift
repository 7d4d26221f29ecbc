/// A calendar date without time or time zone (proleptic Gregorian), years 1...9999.
///
/// Arithmetic never traps: results are clamped to 0001-01-01...9999-12-31.
/// Adding months or years keeps the day of month when it exists and otherwise
/// takes the last day of the month (2024-01-31 + 1 month = 2024-02-29,
/// 2024-02-29 + 1 year = 2025-02-28), the usual reading of "at N months of age".
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public static let minimum = CivilDate(uncheckedYear: 1, month: 1, day: 1)
    public static let maximum = CivilDate(uncheckedYear: 9999, month: 12, day: 31)

    /// A valid date, or nil when the fields do not name one.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `yyyy-mm-dd` (ISO 8601 calendar date, four-digit year).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// `yyyy-mm-dd`.
    public var iso: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Adds whole months (negative to go back), clamping the day to the month's end.
    public func adding(months: Int) -> CivilDate {
        let limited = max(-120_000, min(120_000, months))
        let total = (year * 12 + (month - 1)) + limited
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        if newYear < 1 { return .minimum }
        if newYear > 9999 { return .maximum }
        let newDay = min(day, CivilDate.daysInMonth(year: newYear, month: newMonth))
        return CivilDate(uncheckedYear: newYear, month: newMonth, day: newDay)
    }

    public func adding(years: Int) -> CivilDate {
        adding(months: max(-10_000, min(10_000, years)) * 12)
    }

    public func adding(days: Int) -> CivilDate {
        let limited = max(-4_000_000, min(4_000_000, days))
        return CivilDate.fromDayNumber(dayNumber + limited)
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func fromDayNumber(_ n: Int) -> CivilDate {
        let lower = CivilDate.minimum.dayNumber
        let upper = CivilDate.maximum.dayNumber
        let z = max(lower, min(upper, n)) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return CivilDate(uncheckedYear: y, month: m, day: d)
    }

    /// Whole days from self to other (positive when other is later).
    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    /// Completed years of age on `date` for someone born on self (0 before the first birthday).
    public func age(on date: CivilDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        // Born 29 February: the birthday in a common year is 1 March (date arithmetic above
        // already gives that, since (2, 28) < (2, 29)).
        return max(0, years)
    }
}

/// A span of calendar time as the vaccination calendar states it ("2 mois", "11 ans",
/// "6 semaines"): years and months are calendar months, weeks and days are days.
public struct AgeSpan: Sendable, Hashable, CustomStringConvertible {
    public var years: Int
    public var months: Int
    public var days: Int

    public init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0) {
        self.years = max(0, min(300, years))
        self.months = max(0, min(3600, months))
        self.days = max(0, min(100_000, days + max(0, min(10_000, weeks)) * 7))
    }

    public static let zero = AgeSpan()

    /// Parses `2m`, `11y`, `6w`, `10d`, and concatenations such as `1y6m`.
    public init?(_ text: some StringProtocol) {
        var years = 0, months = 0, days = 0
        var number = 0
        var digits = 0
        var sawUnit = false
        for b in text.utf8 {
            switch b {
            case 0x30...0x39:
                guard digits < 5 else { return nil }
                number = number * 10 + Int(b - 0x30)
                digits += 1
            case UInt8(ascii: "y"), UInt8(ascii: "m"), UInt8(ascii: "w"), UInt8(ascii: "d"):
                guard digits > 0 else { return nil }
                switch b {
                case UInt8(ascii: "y"): years += number
                case UInt8(ascii: "m"): months += number
                case UInt8(ascii: "w"): days += number * 7
                default: days += number
                }
                number = 0
                digits = 0
                sawUnit = true
            default:
                return nil
            }
        }
        guard sawUnit, digits == 0, years <= 300, months <= 3600, days <= 100_000 else { return nil }
        self.init(years: years, months: months, days: days)
    }

    public var description: String {
        var s = ""
        if years > 0 { s += "\(years)y" }
        if months > 0 { s += "\(months)m" }
        if days > 0 { s += "\(days)d" }
        return s.isEmpty ? "0d" : s
    }
}

extension CivilDate {
    /// The date `span` after self: months and years first (end-of-month clamped), then days.
    public func adding(_ span: AgeSpan) -> CivilDate {
        adding(months: span.years * 12 + span.months).adding(days: span.days)
    }

    /// The date `span` before self.
    public func subtracting(_ span: AgeSpan) -> CivilDate {
        adding(months: -(span.years * 12 + span.months)).adding(days: -span.days)
    }
}
