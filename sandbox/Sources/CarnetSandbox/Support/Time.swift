// Time as the service tells it: epoch milliseconds, FHIR instants, HTTP dates, "today" (the
// civil date of the documented time zone, as in the library).

import CarnetCatalogue
import Foundation

enum Time {
    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    // The formatting and parsing below is arithmetic on CivilDate, not Foundation's Calendar,
    // String(format:) and DateFormatter: every write stamps an instant and every validated
    // Immunization parses its dates, and those took a tenth of a batch's CPU (docs/performance.md).

    /// Epoch milliseconds of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59.999Z: what a FHIR
    /// instant can say; a value outside is clamped.
    private static let earliestMs: Int64 = -62_135_596_800_000
    private static let latestMs: Int64 = 253_402_300_799_999

    /// FHIR instant with milliseconds, UTC: `yyyy-mm-ddThh:mm:ss.sssZ`.
    static func instant(ms: Int64) -> String {
        let (date, secondOfDay, millis) = split(ms)
        var text = date.iso
        text.reserveCapacity(24)
        text += "T" + twoDigits(secondOfDay / 3600) + ":" + twoDigits(secondOfDay / 60 % 60) + ":"
            + twoDigits(secondOfDay % 60) + "." + twoDigits(millis / 10) + String(millis % 10) + "Z"
        return text
    }

    /// RFC 9110 IMF-fixdate, for Last-Modified: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(ms: Int64) -> String {
        let (date, secondOfDay, _) = split(ms)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((date.dayNumber % 7) + 7) % 7]
        let year = String(date.year)
        return weekday + ", " + twoDigits(date.day) + " " + months[date.month - 1] + " "
            + String(repeating: "0", count: max(0, 4 - year.count)) + year + " " + twoDigits(secondOfDay / 3600)
            + ":" + twoDigits(secondOfDay / 60 % 60) + ":" + twoDigits(secondOfDay % 60) + " GMT"
    }

    /// Parses a FHIR date (`yyyy`, `yyyy-mm`, `yyyy-mm-dd`: start of day UTC), dateTime or
    /// instant (`yyyy-mm-ddThh:mm:ss[.fraction](Z|±hh:mm)`) to epoch milliseconds; nil for
    /// anything else, an impossible date or time included.
    static func parseMs(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ at: Int, _ width: Int) -> Int? {
            guard at >= 0, at + width <= b.count else { return nil }
            var value = 0
            for i in at..<(at + width) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        guard let year = number(0, 4) else { return nil }
        var month = 1
        var day = 1
        if b.count > 4 {
            guard b[4] == UInt8(ascii: "-"), let m = number(5, 2) else { return nil }
            month = m
        }
        if b.count > 7 {
            guard b[7] == UInt8(ascii: "-"), let d = number(8, 2) else { return nil }
            day = d
        }
        guard b.count == 4 || b.count == 7 || b.count >= 10, let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        var seconds = Int64(date.dayNumber) * 86_400
        var millis: Int64 = 0
        if b.count > 10 {
            guard b[10] == UInt8(ascii: "T"), b.count >= 20, let hour = number(11, 2), b[13] == UInt8(ascii: ":"),
                let minute = number(14, 2), b[16] == UInt8(ascii: ":"), let second = number(17, 2),
                hour < 24, minute < 60, second <= 60
            else { return nil }
            var i = 19
            if b[i] == UInt8(ascii: ".") {
                i += 1
                let first = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                guard i > first, i - first <= 9 else { return nil }
                for position in 0..<3 {
                    let digit = first + position < i ? Int64(b[first + position] - 0x30) : 0
                    millis = millis * 10 + digit
                }
            }
            var offsetMinutes = 0
            if i + 1 == b.count, b[i] == UInt8(ascii: "Z") {
                offsetMinutes = 0
            } else if i + 6 == b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"),
                let hours = number(i + 1, 2), b[i + 3] == UInt8(ascii: ":"), let minutes = number(i + 4, 2),
                hours <= 14, minutes < 60
            {
                offsetMinutes = (hours * 60 + minutes) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
            seconds += Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        }
        return seconds * 1000 + millis
    }

    /// The UTC civil date, second of the day and millisecond of `ms` (clamped to years 1...9999).
    private static func split(_ ms: Int64) -> (date: CivilDate, secondOfDay: Int, millis: Int) {
        let clamped = min(max(ms, earliestMs), latestMs)
        let seconds = clamped >= 0 ? clamped / 1000 : (clamped - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (
            CivilDate.fromDayNumber(Int(days)), Int(seconds - days * 86_400), Int(clamped - seconds * 1000)
        )
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }

    /// The service's time zone for "today" (the forecast's default assessment date): the
    /// library's rule and default (CivilTimeZone), overridable with CARNET_SANDBOX_TIME_ZONE.
    static let zone: CivilTimeZone =
        ProcessInfo.processInfo.environment["CARNET_SANDBOX_TIME_ZONE"].flatMap { CivilTimeZone($0) } ?? .paris

    /// The zone the client declared for this request (`X-Carnet-Time-Zone`, set by
    /// OutcomeMiddleware), if it is one CivilTimeZone knows: a practice in La Réunion and the
    /// service then agree on the day.
    @TaskLocal static var requestZone: CivilTimeZone?

    /// Today in the request's time zone (else the service's), the same computation as the
    /// library's: the forecast's default assessment date and every "in the future" check.
    static func today() -> CivilDate { (requestZone ?? zone).date(atUnixSeconds: nowMs() / 1000) }
}
