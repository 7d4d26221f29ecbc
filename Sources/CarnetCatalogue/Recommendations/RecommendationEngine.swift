/// A vaccination already given, as the host or the service records it.
public struct AdministeredDose: Sendable, Equatable {
    public var date: CivilDate
    /// CIS, CIP13, NUVA (`VACnnnn`) or ATC code of the product; the catalogue supplies its valences.
    public var productCode: String?
    /// NUVA valence codes (`VALnnn`) when the record carries them instead of, or besides, a product.
    public var valenceCodes: [String]
    /// NUVA disease codes (`DISnnn`) when only the target diseases are known.
    public var diseaseCodes: [String]
    /// What FHIR supportingImmunization points at, e.g. `Immunization/123`.
    public var reference: String?

    public init(date: CivilDate, productCode: String? = nil, valenceCodes: [String] = [],
                diseaseCodes: [String] = [], reference: String? = nil) {
        self.date = date
        self.productCode = productCode
        self.valenceCodes = valenceCodes
        self.diseaseCodes = diseaseCodes
        self.reference = reference
    }
}

/// Where a patient stands for a vaccine group (docs/recommendations.md, "Statuses").
public enum ForecastStatus: String, Sendable, Equatable, CaseIterable {
    /// Scheduled, not yet due: the next dose's due date is in the future, and the person is in
    /// the schedule (a dose of the group already counted, or the first dose due within a year).
    case notDue = "notdue"
    case due
    case overdue
    /// The series is complete (or, seasonal, this season's dose is given).
    case complete
    /// The host reports immunity (past disease, serology) to every disease of the group.
    case immune
    /// The vaccine must not be given now (a live vaccine in pregnancy or immunosuppression).
    case contraindicated
    /// Nothing of the group applies to this person now: not yet of age (first dose more than a
    /// year ahead), past the calendar's age limit, or excluded by the context.
    case notRecommended = "notrecommended"
}

/// Why the engine says what it says: the rule that decided, a sentence for the doctor, and the
/// calendar's section.
public struct ForecastReason: Sendable, Equatable {
    /// `<group>:<branch>`, e.g. `zoster:not-yet-applicable`, `pertussis-pregnancy:pregnancy`,
    /// `dtp:series-1` (docs/recommendations.md lists the branches).
    public var ruleID: String
    /// French, for the doctor.
    public var text: String
    /// The 2025 calendar's section the rule comes from.
    public var reference: String
}

/// The forecast for one vaccine group.
public struct VaccineGroupForecast: Sendable, Equatable {
    public var group: String
    public var label: String
    public var targetDiseases: [TargetDisease]
    public var status: ForecastStatus
    /// Number of the next dose in the series (1-based); for a complete series, the number of doses counted.
    public var doseNumber: Int?
    /// Doses in the selected series (nil for recurring boosters and seasonal groups).
    public var seriesDoses: Int?
    public var seriesName: String?
    public var earliestDate: CivilDate?
    public var dueDate: CivilDate?
    public var overdueDate: CivilDate?
    /// Latest date the dose is recommended (catch-up limit, or end of the seasonal campaign).
    public var latestDate: CivilDate?
    /// The doses that counted for this group, oldest first.
    public var supportingDoses: [AdministeredDose]
    public var reason: ForecastReason = ForecastReason(ruleID: "", text: "", reference: "")
    /// Past the group's age limit (a `notRecommended` the forecast leaves out when nothing was given).
    var pastAgeLimit = false
}

extension VaccineGroupForecast {
    init(rule: VaccineGroupRule, status: ForecastStatus) {
        self.init(
            group: rule.id, label: rule.label, targetDiseases: rule.diseases, status: status, doseNumber: nil,
            seriesDoses: nil, seriesName: nil, earliestDate: nil, dueDate: nil, overdueDate: nil, latestDate: nil,
            supportingDoses: [])
        reason.reference = rule.reference
    }

    mutating func say(_ branch: String, _ text: String) {
        reason.ruleID = group + ":" + branch
        reason.text = text
    }

    /// Not recommended: every date goes (a date decades ahead misleads).
    mutating func notRecommended(_ branch: String, _ text: String, pastAgeLimit: Bool = false) {
        status = .notRecommended
        earliestDate = nil
        dueDate = nil
        overdueDate = nil
        latestDate = nil
        doseNumber = nil
        self.pastAgeLimit = pastAgeLimit
        say(branch, text)
    }
}

/// Forecasts the French 2025 calendar for a patient from their vaccination history and, when the
/// host gives it, their context (pregnancy, conditions, exposure, immunity).
///
/// Not medical advice: see docs/recommendations.md for what the rules cover and what they do not.
public struct RecommendationEngine: Sendable {
    public let catalogue: VaccineCatalogue
    public let rules: [VaccineGroupRule]
    /// Include groups past their age limit with no dose ever given (infant groups for an adult).
    public var includeUnstartedAgedOut: Bool = false
    /// A first dose due further ahead than this is "not recommended (not yet of age)", not "not yet due".
    public static let scheduleHorizon = AgeSpan(years: 1)

    public init(catalogue: VaccineCatalogue) {
        self.catalogue = catalogue
        self.rules = RuleFiles.rules
    }

    public init(catalogue: VaccineCatalogue, rules: [VaccineGroupRule]) {
        self.catalogue = catalogue
        self.rules = rules
    }

    /// One forecast per applicable vaccine group, in rule order. Left out: groups the birth date
    /// excludes (MMR for people born before 1980, infant MenB before 2025), groups for a context
    /// the person does not have (pertussis in pregnancy for someone not pregnant), and groups past
    /// their age limit with no dose (unless asked).
    public func forecast(birthDate: CivilDate, assessmentDate: CivilDate, history: [AdministeredDose],
                         context: PersonContext = .none) -> [VaccineGroupForecast] {
        let resolved = history.map { resolve($0) }
        var out: [VaccineGroupForecast] = []
        for rule in rules {
            if let from = rule.bornFrom, birthDate < from { continue }
            if let before = rule.bornBefore, birthDate >= before { continue }
            if !rule.appliesWhen.isEmpty, !context.matches(rule.appliesWhen, on: assessmentDate) { continue }
            let relevant = resolved
                .filter { counts($0, for: rule) && $0.dose.date >= birthDate && $0.dose.date <= assessmentDate }
                .map(\.dose)
                .sorted { $0.date < $1.date }
            let contraindications = context.matching(rule.contraindicatedWhen, on: assessmentDate)
            if !contraindications.isEmpty {
                var f = VaccineGroupForecast(rule: rule, status: .contraindicated)
                f.supportingDoses = relevant
                f.say("contraindicated", "Vaccin vivant contre-indiqué : "
                      + contraindications.map(\.wording).joined(separator: ", ") + ".")
                out.append(f)
                continue
            }
            if rule.isContraindicationOnly { continue }
            if rule.diseases.allSatisfy({ context.immunities.contains($0.code) }) {
                var f = VaccineGroupForecast(rule: rule, status: .immune)
                f.supportingDoses = relevant
                f.say("immune", "Immunité déclarée contre " + rule.diseases.map(\.label).joined(separator: ", ")
                      + " : vaccination non nécessaire.")
                out.append(f)
                continue
            }
            let exclusions = context.matching(rule.notRecommendedWhen, on: assessmentDate)
            if !exclusions.isEmpty {
                var f = VaccineGroupForecast(rule: rule, status: .notRecommended)
                f.supportingDoses = relevant
                f.notRecommended("context", "Non recommandé : " + exclusions.map(\.wording).joined(separator: ", ") + ".")
                out.append(f)
                continue
            }
            var forecast: VaccineGroupForecast
            if let window = rule.pregnancy, let pregnancy = context.pregnancy {
                forecast = evaluatePregnancy(rule, window, pregnancy, assessmentDate: assessmentDate, doses: relevant)
            } else if let seasonal = rule.seasonal {
                forecast = evaluateSeasonal(rule, seasonal, birthDate: birthDate, assessmentDate: assessmentDate,
                                            doses: relevant, context: context)
            } else {
                forecast = evaluateSeries(rule, birthDate: birthDate, assessmentDate: assessmentDate, doses: relevant,
                                          context: context)
            }
            if forecast.pastAgeLimit && relevant.isEmpty && !includeUnstartedAgedOut { continue }
            out.append(forecast)
        }
        return out
    }

    // MARK: - Doses to diseases

    struct ResolvedDose {
        var dose: AdministeredDose
        var diseases: Set<String>
        var valences: Set<String>
    }

    func resolve(_ dose: AdministeredDose) -> ResolvedDose {
        var diseases = Set(dose.diseaseCodes)
        var valences = Set(dose.valenceCodes)
        if let code = dose.productCode, let product = catalogue.product(code: code) {
            diseases.formUnion(product.diseaseCodes)
            valences.formUnion(product.valences.map(\.code))
        }
        for code in valences {
            if let disease = valenceDiseases[code] { diseases.insert(disease) }
        }
        return ResolvedDose(dose: dose, diseases: diseases, valences: valences)
    }

    /// Valence code → disease code, from every product of the catalogue.
    private var valenceDiseases: [String: String] { catalogue.valenceDiseases }

    func counts(_ dose: ResolvedDose, for rule: VaccineGroupRule) -> Bool {
        guard rule.diseases.allSatisfy({ dose.diseases.contains($0.code) }) else { return false }
        if rule.valenceAny.isEmpty { return true }
        return rule.valenceAny.contains { dose.valences.contains($0) }
    }

    // MARK: - Series

    func evaluateSeries(_ rule: VaccineGroupRule, birthDate: CivilDate, assessmentDate: CivilDate,
                        doses: [AdministeredDose], context: PersonContext = .none) -> VaccineGroupForecast {
        var result = VaccineGroupForecast(rule: rule, status: .notRecommended)
        let latest = rule.until.map { birthDate.adding($0).adding(days: -1) }

        // Choose the series: the first whose context holds and whose start-before age is after the
        // first counted dose (or, with none, after the assessment date).
        let startDate = doses.first?.date ?? assessmentDate
        guard let index = rule.series.firstIndex(where: { s in
            (s.when.isEmpty || context.matches(s.when, on: assessmentDate))
                && (s.startBefore.map { startDate < birthDate.adding($0) } ?? true)
        }) else {
            result.supportingDoses = doses
            result.notRecommended("age-limit", ageLimitText(rule), pastAgeLimit: true)
            return result
        }
        let series = rule.series[index]
        let branch = "series-\(index + 1)"
        let because = series.when.isEmpty ? ""
            : " (en raison de : " + context.matching(series.when, on: assessmentDate).map(\.wording).joined(separator: ", ") + ")"
        result.seriesName = series.name
        result.seriesDoses = series.recurring ? nil : series.doses.count

        var k = 0
        var previous: CivilDate?
        var counted: [AdministeredDose] = []
        for dose in doses {
            while k < series.doses.count, let skip = series.doses[k].skipAt, dose.date >= birthDate.adding(skip) {
                k += 1
            }
            guard k < series.doses.count else { break }
            let target = series.doses[k]
            let earliest = earliestDate(target, birthDate: birthDate, previous: previous)
            if dose.date >= earliest {
                counted.append(dose)
                previous = dose.date
                k += 1
            }
        }
        result.supportingDoses = counted
        // Doses not given before their skip age are skipped at assessment too.
        var skippedAtEnd = false
        while k < series.doses.count, let skip = series.doses[k].skipAt, assessmentDate >= birthDate.adding(skip) {
            k += 1
            skippedAtEnd = true
        }
        if k >= series.doses.count {
            if skippedAtEnd {
                result.seriesName = series.name
                result.notRecommended("age-limit", ageLimitText(rule, skipped: true), pastAgeLimit: true)
                result.doseNumber = counted.count
                return result
            }
            result.status = .complete
            result.doseNumber = counted.count
            result.latestDate = latest
            result.say(branch, "À jour : \(doseCount(counted.count)) comptée\(counted.count > 1 ? "s" : "")"
                       + " (série « \(series.name) »)\(because).")
            return result
        }
        if let latest, assessmentDate > latest {
            result.notRecommended("age-limit", ageLimitText(rule), pastAgeLimit: true)
            return result
        }
        let target = series.doses[k]
        let earliest = earliestDate(target, birthDate: birthDate, previous: previous)
        var due = earliest
        if let age = target.due { due = max(due, birthDate.adding(age)) }
        if let previous, let interval = target.dueInterval ?? target.interval { due = max(due, previous.adding(interval)) }
        var overdue = due.adding(target.overdueInterval ?? rule.grace)
        if let age = target.overdue { overdue = max(overdue, birthDate.adding(age)) }
        // The last day of the window before the next dose takes over, when a skip age is set.
        var latestForDose = latest
        if let skip = target.skipAt {
            let limit = birthDate.adding(skip).adding(days: -1)
            latestForDose = latestForDose.map { min($0, limit) } ?? limit
        }
        // Nothing of the group given yet and the first dose more than a year ahead: the calendar
        // does not concern this person yet (a healthy 40-year-old and zoster at 65).
        if counted.isEmpty, due > assessmentDate.adding(Self.scheduleHorizon) {
            let from = target.due.map { " à partir de " + FrenchText.age($0) } ?? ""
            result.notRecommended(
                "not-yet-applicable",
                "Recommandé\(from) : ne concerne pas encore cette personne (première dose le \(FrenchText.date(due))).")
            return result
        }
        result.latestDate = latestForDose
        result.doseNumber = counted.count + 1
        result.earliestDate = earliest
        result.dueDate = due
        result.overdueDate = overdue
        let n = counted.count + 1
        if assessmentDate < due {
            result.status = .notDue
            result.say(branch, "Dose \(n) prévue le \(FrenchText.date(due))\(because).")
        } else if assessmentDate < overdue {
            result.status = .due
            result.say(branch, "Dose \(n) à faire depuis le \(FrenchText.date(due))\(because).")
        } else {
            result.status = .overdue
            result.say(branch, "Dose \(n) en retard depuis le \(FrenchText.date(overdue))\(because).")
        }
        return result
    }

    private func earliestDate(_ dose: VaccineGroupRule.Dose, birthDate: CivilDate, previous: CivilDate?) -> CivilDate {
        var date = birthDate
        if let age = dose.earliest { date = max(date, birthDate.adding(age)) }
        if let previous { date = max(date, previous.adding(dose.interval ?? .zero)) }
        return date
    }

    private func doseCount(_ n: Int) -> String { n > 1 ? "\(n) doses" : "\(n) dose" }

    private func ageLimitText(_ rule: VaccineGroupRule, skipped: Bool = false) -> String {
        if let until = rule.until {
            return "Plus recommandé : la vaccination ou le rattrapage s'arrête à \(FrenchText.age(until))."
        }
        return skipped ? "Plus recommandé : le rappel n'a pas été fait avant la limite d'âge du calendrier."
            : "Plus recommandé à cet âge."
    }

    // MARK: - Pregnancy

    /// A dose in each pregnancy, within a window of weeks of amenorrhoea (and, for maternal RSV
    /// vaccination, within the season's campaign).
    func evaluatePregnancy(_ rule: VaccineGroupRule, _ w: VaccineGroupRule.PregnancyWindow, _ pregnancy: Pregnancy,
                           assessmentDate a: CivilDate, doses: [AdministeredDose]) -> VaccineGroupForecast {
        var result = VaccineGroupForecast(rule: rule, status: .due)
        var from = pregnancy.date(atWeek: w.fromWeek)
        var to = pregnancy.date(atWeek: w.toWeek + 1).adding(days: -1)
        let weeks = "de \(w.fromWeek) à \(w.toWeek) SA"
        if let given = doses.last(where: { $0.date >= pregnancy.amenorrhoeaStart }) {
            result.status = .complete
            result.supportingDoses = [given]
            result.doseNumber = 1
            result.say("pregnancy", "À jour : dose reçue pendant cette grossesse, le \(FrenchText.date(given.date)).")
            return result
        }
        if w.inCampaign {
            guard let c = rule.campaigns.first(where: { $0.start <= to && $0.end >= from }) else {
                result.notRecommended(
                    "out-of-campaign",
                    "La fenêtre \(weeks) tombe hors de la campagne : le nourrisson sera protégé par le nirsévimab.")
                return result
            }
            from = max(from, c.start)
            to = min(to, c.end)
        }
        result.doseNumber = 1
        result.earliestDate = from
        result.dueDate = from
        result.latestDate = to
        if a < from {
            result.status = .notDue
            result.say("pregnancy", "Une dose à chaque grossesse, \(weeks) : à faire à partir du \(FrenchText.date(from)).")
        } else if a <= to {
            result.status = .due
            result.say("pregnancy", "Une dose à chaque grossesse, \(weeks) : à faire avant le \(FrenchText.date(to)).")
        } else if w.inCampaign {
            result.notRecommended(
                "after-window", "Fenêtre \(weeks) dépassée : le nourrisson sera protégé par le nirsévimab.")
        } else {
            result.status = .overdue
            result.overdueDate = to.adding(days: 1)
            result.say("pregnancy", "Fenêtre \(weeks) dépassée sans dose : à faire au plus tôt, au plus tard "
                       + "avant la sortie de la maternité.")
        }
        return result
    }

    // MARK: - Seasonal

    func evaluateSeasonal(_ rule: VaccineGroupRule, _ s: VaccineGroupRule.Seasonal, birthDate: CivilDate,
                          assessmentDate: CivilDate, doses: [AdministeredDose],
                          context: PersonContext = .none) -> VaccineGroupForecast {
        var result = VaccineGroupForecast(rule: rule, status: .notDue)
        // Each season's dates: published for that season (`campaign`), else the usual pattern.
        func campaign(_ y: Int) -> VaccineGroupRule.Campaign? { rule.campaigns.first { $0.start.year == y } }
        func start(_ y: Int) -> CivilDate { campaign(y)?.start ?? s.start.date(in: y) }
        func end(_ y: Int) -> CivilDate { campaign(y)?.end ?? s.end.date(in: y + 1) }
        func window(_ y: Int) -> CivilDate { campaign(y)?.countsFrom ?? s.countsFrom.date(in: y) }
        let a = assessmentDate
        // Eligible from the general age, or earlier because of the context.
        var eligible = birthDate.adding(s.fromAge)
        var because: [ContextTerm] = []
        for clause in s.alsoEligible where context.matches(clause.when, on: a) {
            let date = birthDate.adding(clause.age)
            guard date < eligible || !because.isEmpty else { continue }
            eligible = min(eligible, date)
            because += context.matching(clause.when, on: a)
        }
        let why = because.isEmpty ? "" : " (en raison de : " + because.map(\.wording).joined(separator: ", ") + ")"
        if s.once, let given = doses.first {
            result.status = .complete
            result.supportingDoses = [given]
            result.say("seasonal", "À jour : une dose suffit, reçue le \(FrenchText.date(given.date)).")
            return result
        }
        // The season in progress, or else the next one.
        var year = a >= start(a.year) ? a.year : (a <= end(a.year - 1) ? a.year - 1 : a.year)
        if eligible.year - 1 > year { year = eligible.year - 1 }
        while end(year) < eligible, year < 9998 { year += 1 }
        // With an age limit, a season counts only if it starts before the limit (nirsevimab:
        // the infant's first season).
        if let until = rule.until, birthDate.adding(until) <= start(year) {
            result.notRecommended("age-limit", ageLimitText(rule), pastAgeLimit: true)
            return result
        }
        let inSeason = a >= start(year) && a <= end(year)
        if inSeason, let given = doses.last(where: { $0.date >= window(year) && $0.date <= a }) {
            result.status = .complete
            result.supportingDoses = [given]
            result.dueDate = max(start(year + 1), eligible)
            result.earliestDate = result.dueDate
            result.latestDate = end(year + 1)
            result.say("seasonal", "À jour pour la saison en cours\(why) ; prochaine campagne à partir du "
                       + "\(FrenchText.date(start(year + 1))).")
            return result
        }
        // Outside the campaign, a dose of the last season still means "complete until the next one".
        if !inSeason, a > end(year - 1), let given = doses.last(where: { $0.date >= window(year - 1) }),
           eligible <= end(year - 1) {
            result.status = .complete
            result.supportingDoses = [given]
            result.dueDate = max(start(year), eligible)
            result.earliestDate = result.dueDate
            result.latestDate = end(year)
            result.say("seasonal", "À jour pour la saison passée\(why) ; prochaine campagne à partir du "
                       + "\(FrenchText.date(start(year))).")
            return result
        }
        let due = max(start(year), eligible)
        if due > a.adding(Self.scheduleHorizon) {
            let from = because.isEmpty ? "à partir de \(FrenchText.age(s.fromAge))" : "à partir du \(FrenchText.date(eligible))\(why)"
            result.notRecommended(
                "not-yet-applicable", "Recommandé chaque saison \(from) : ne concerne pas encore cette personne.")
            return result
        }
        result.earliestDate = due
        result.dueDate = due
        result.latestDate = end(year)
        result.doseNumber = 1
        if a < due {
            result.status = .notDue
            result.say("seasonal", "Une dose par saison\(why) : campagne du \(FrenchText.date(due)) au "
                       + "\(FrenchText.date(end(year))).")
        } else {
            result.status = .due
            result.say("seasonal", "Une dose par saison\(why) : à faire avant le \(FrenchText.date(end(year))).")
        }
        return result
    }
}

extension VaccineCatalogue {
    /// Valence code → disease code over every product (first occurrence wins).
    var valenceDiseases: [String: String] { valenceIndex }
}
