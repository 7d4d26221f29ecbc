/// What the host knows about the person beyond the vaccination history: pregnancy, conditions,
/// professional exposure, known immunity. The engine uses it to apply the calendar's special
/// populations (docs/recommendations.md, "Context"); without it (`.none`) the engine applies the
/// general calendar only.
public struct PersonContext: Sendable, Equatable {
    public var pregnancy: Pregnancy?
    public var conditions: Set<PersonCondition>
    public var exposures: Set<Exposure>
    /// NUVA disease codes (`DISnnn`) the host reports immunity to (past disease, serology).
    public var immunities: Set<String>

    public init(pregnancy: Pregnancy? = nil, conditions: Set<PersonCondition> = [], exposures: Set<Exposure> = [],
                immunities: Set<String> = []) {
        self.pregnancy = pregnancy
        self.conditions = conditions
        self.exposures = exposures
        self.immunities = immunities
    }

    public static let none = PersonContext()

    public var isEmpty: Bool { self == .none }

    /// Whether one of the terms of a rule's `when` clause holds on `date`.
    func matches(_ terms: [ContextTerm], on date: CivilDate) -> Bool {
        terms.contains { term in
            switch term {
            case .pregnant: return pregnancy?.isPregnant(on: date) ?? false
            case .condition(let c): return conditions.contains(c)
            case .exposure(let e): return exposures.contains(e)
            }
        }
    }

    /// The terms that hold, for the reason's sentence.
    func matching(_ terms: [ContextTerm], on date: CivilDate) -> [ContextTerm] {
        terms.filter { matches([$0], on: date) }
    }
}

/// A pregnancy, dated by the first day of amenorrhoea (the last menstrual period): weeks of
/// amenorrhoea ("semaines d'aménorrhée", SA) count from it, and the expected delivery date is
/// 280 days (40 SA) after it.
public struct Pregnancy: Sendable, Equatable {
    public var amenorrhoeaStart: CivilDate

    /// Term used when the host gives the expected delivery date: 40 SA.
    public static let termDays = 280
    /// A pregnancy is taken as ongoing until 42 SA at most (post-term limit).
    public static let maximumDays = 294

    public init(amenorrhoeaStart: CivilDate) { self.amenorrhoeaStart = amenorrhoeaStart }

    /// `weeks` (+ `days`) of amenorrhoea on `date`.
    public init(weeksOfAmenorrhoea weeks: Int, days: Int = 0, on date: CivilDate) {
        amenorrhoeaStart = date.adding(days: -(max(0, min(45, weeks)) * 7 + max(0, min(6, days))))
    }

    public init(expectedDeliveryDate: CivilDate) {
        amenorrhoeaStart = expectedDeliveryDate.adding(days: -Pregnancy.termDays)
    }

    public var expectedDeliveryDate: CivilDate { amenorrhoeaStart.adding(days: Pregnancy.termDays) }

    /// The first day of week `weeks` of amenorrhoea (`weeks` SA + 0 days).
    public func date(atWeek weeks: Int) -> CivilDate { amenorrhoeaStart.adding(days: weeks * 7) }

    public func isPregnant(on date: CivilDate) -> Bool {
        date >= amenorrhoeaStart && date < amenorrhoeaStart.adding(days: Pregnancy.maximumDays)
    }
}

/// One term of a rule's `when` clause: `pregnant`, `condition:<name>`, `exposure:<name>`.
public enum ContextTerm: Sendable, Equatable {
    case pregnant
    case condition(PersonCondition)
    case exposure(Exposure)

    init?(_ text: String) {
        if text == "pregnant" { self = .pregnant; return }
        if text.hasPrefix("condition:"), let c = PersonCondition(rawValue: String(text.dropFirst(10))) {
            self = .condition(c)
            return
        }
        if text.hasPrefix("exposure:"), let e = Exposure(rawValue: String(text.dropFirst(9))) {
            self = .exposure(e)
            return
        }
        return nil
    }

    /// French wording, for the doctor's sentence.
    var wording: String {
        switch self {
        case .pregnant: return "grossesse en cours"
        case .condition(let c): return c.calendarWording
        case .exposure(let e): return e.calendarWording
        }
    }
}
