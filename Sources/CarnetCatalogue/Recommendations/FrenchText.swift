/// Dates and ages as the doctor reads them in the reasons' sentences.
enum FrenchText {
    /// `15/05/2025`.
    static func date(_ d: CivilDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(d.day))/\(two(d.month))/\(d.year)"
    }

    /// `65 ans`, `2 mois`, `1 an et 6 mois`, `6 semaines`.
    static func age(_ a: AgeSpan) -> String {
        var parts: [String] = []
        if a.years > 0 { parts.append(a.years == 1 ? "1 an" : "\(a.years) ans") }
        if a.months > 0 { parts.append("\(a.months) mois") }
        if a.days > 0 {
            if a.days % 7 == 0 {
                parts.append(a.days == 7 ? "1 semaine" : "\(a.days / 7) semaines")
            } else {
                parts.append(a.days == 1 ? "1 jour" : "\(a.days) jours")
            }
        }
        return parts.isEmpty ? "la naissance" : parts.joined(separator: " et ")
    }
}
