/// The time zone "today" and every age are computed in (docs/recommendations.md, "One civil
/// date"): the same rule in the library and in the service, without Foundation or the system's
/// time zone database. Metropolitan France by default; the French overseas zones by name; or a
/// fixed offset.
public struct CivilTimeZone: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// UTC+1, and UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday of October
        /// 01:00 UTC (EU summer time, Directive 2000/84/EC).
        case europeanUnion(standardMinutes: Int)
        case fixed(minutes: Int)
    }

    public let identifier: String
    public let rule: Rule

    public static let paris = CivilTimeZone(identifier: "Europe/Paris", rule: .europeanUnion(standardMinutes: 60))
    public static let utc = CivilTimeZone(identifier: "UTC", rule: .fixed(minutes: 0))

    /// IANA names this library knows: metropolitan France and the overseas territories.
    static let named: [String: Rule] = [
        "Europe/Paris": .europeanUnion(standardMinutes: 60),
        "UTC": .fixed(minutes: 0),
        "America/Guadeloupe": .fixed(minutes: -240), "America/Martinique": .fixed(minutes: -240),
        "America/St_Barthelemy": .fixed(minutes: -240), "America/Marigot": .fixed(minutes: -240),
        "America/Cayenne": .fixed(minutes: -180),
        "Indian/Reunion": .fixed(minutes: 240), "Indian/Mayotte": .fixed(minutes: 180),
        "Pacific/Noumea": .fixed(minutes: 660), "Pacific/Tahiti": .fixed(minutes: -600),
        "Pacific/Wallis": .fixed(minutes: 720),
    ]

    /// An IANA name from the list above, or a fixed offset `+04:00` / `-03:00` (−12:00…+14:00).
    public init?(_ text: String) {
        if let rule = CivilTimeZone.named[text] {
            self.init(identifier: text, rule: rule)
            return
        }
        let b = Array(text.utf8)
        guard b.count == 6, b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-"), b[3] == UInt8(ascii: ":"),
              let h = Int(String(decoding: b[1..<3], as: UTF8.self)), let m = Int(String(decoding: b[4..<6], as: UTF8.self)),
              b[1...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), b[4...5].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              m < 60 else { return nil }
        let minutes = (h * 60 + m) * (b[0] == UInt8(ascii: "-") ? -1 : 1)
        guard (-720...840).contains(minutes) else { return nil }
        self.init(identifier: text, rule: .fixed(minutes: minutes))
    }

    /// Years 0001 to 9999: no arithmetic below can overflow.
    static func clamp(_ t: Int64) -> Int64 { min(max(t, -62_135_596_800), 253_402_300_799) }

    init(identifier: String, rule: Rule) {
        self.identifier = identifier
        self.rule = rule
    }

    /// Offset from UTC at the instant `unixSeconds`, in minutes.
    public func offsetMinutes(atUnixSeconds unclamped: Int64) -> Int {
        let t = CivilTimeZone.clamp(unclamped)
        switch rule {
        case .fixed(let minutes): return minutes
        case .europeanUnion(let standard):
            let utcDay = CivilDate.fromDayNumber(Int(clamping: t >= 0 ? t / 86_400 : (t - 86_399) / 86_400))
            let year = utcDay.year
            func lastSunday(month: Int) -> Int64 {
                let last = CivilDate(year: year, month: month, day: 31) ?? CivilDate.minimum
                // 1970-01-01 was a Thursday: weekday 0 = Sunday is (dayNumber + 4) mod 7.
                let weekday = ((last.dayNumber + 4) % 7 + 7) % 7
                return Int64(last.dayNumber - weekday) * 86_400 + 3_600  // 01:00 UTC
            }
            let summer = t >= lastSunday(month: 3) && t < lastSunday(month: 10)
            return standard + (summer ? 60 : 0)
        }
    }

    /// The civil date in this zone at the instant `unixSeconds`.
    public func date(atUnixSeconds unclamped: Int64) -> CivilDate {
        let t = CivilTimeZone.clamp(unclamped)
        let local = t + Int64(offsetMinutes(atUnixSeconds: t)) * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return CivilDate.fromDayNumber(Int(clamping: days))
    }
}
