// Time as the service tells it: epoch milliseconds, FHIR instants, HTTP dates, "today" (the
// civil date of the documented time zone, as in the library).

import CarnetCatalogue
import Foundation

enum Time {
    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// FHIR instant with milliseconds, UTC.
    static func instant(ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let millis = Int(ms % 1000)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1,
            c.hour ?? 0, c.minute ?? 0, c.second ?? 0, millis)
    }

    /// RFC 9110 IMF-fixdate, for Last-Modified.
    static func httpDate(ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// Parses a FHIR date, dateTime or instant to epoch milliseconds (dates: start of day UTC).
    static func parseMs(_ text: String) -> Int64? {
        let formats = ["yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd", "yyyy-MM", "yyyy"]
        for format in formats {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = format
            if let d = f.date(from: text) { return Int64(d.timeIntervalSince1970 * 1000) }
        }
        return nil
    }

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
