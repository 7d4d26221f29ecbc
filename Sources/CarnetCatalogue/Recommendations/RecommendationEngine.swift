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

/// Where a patient stands for a vaccine group.
public enum ForecastStatus: String, Sendable, Equatable, CaseIterable {
    /// Nothing to do yet: the next dose's due date is in the future (not an HL7 code; see FHIR output).
    case notDue = "notdue"
    case due
    case overdue
    /// The series is complete (or, seasonal, this season's dose is given).
    case complete
    /// Not produced by this engine (no history of disease or serology input).
    case immune
    /// Not produced by this engine (no contraindication input).
    case contraindicated
    /// A series not started (or a booster not given) before the calendar's age limit: no longer recommended.
    case agedOut = "agedout"
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
}

/// Forecasts the French 2025 calendar for a patient from their vaccination history.
///
/// Not medical advice: see docs/recommendations.md for what the rules cover and what they
/// do not (risk conditions, pregnancy, travel, immunosuppression...).
public struct RecommendationEngine: Sendable {
    public let catalogue: VaccineCatalogue
    public let rules: [VaccineGroupRule]
    /// Include groups that are aged out with no dose ever given (infant groups for an adult).
    public var includeUnstartedAgedOut: Bool = false

    public init(catalogue: VaccineCatalogue) {
        self.catalogue = catalogue
        self.rules = RuleFiles.rules
    }

    public init(catalogue: VaccineCatalogue, rules: [VaccineGroupRule]) {
        self.catalogue = catalogue
        self.rules = rules
    }

    /// One forecast per applicable vaccine group, in rule order. Groups for which the patient's
    /// birth date makes them ineligible (MMR for people born before 1980, MenB for children born
    /// before 2025) are left out, and so are aged-out groups with no dose (unless asked).
    public func forecast(birthDate: CivilDate, assessmentDate: CivilDate, history: [AdministeredDose]) -> [VaccineGroupForecast] {
        let resolved = history.map { resolve($0) }
        var out: [VaccineGroupForecast] = []
        for rule in rules {
            if let from = rule.bornFrom, birthDate < from { continue }
            if let before = rule.bornBefore, birthDate >= before { continue }
            let relevant = resolved
                .filter { counts($0, for: rule) && $0.dose.date >= birthDate && $0.dose.date <= assessmentDate }
                .map(\.dose)
                .sorted { $0.date < $1.date }
            let forecast: VaccineGroupForecast
            if let seasonal = rule.seasonal {
                forecast = evaluateSeasonal(rule, seasonal, birthDate: birthDate, assessmentDate: assessmentDate, doses: relevant)
            } else {
                forecast = evaluateSeries(rule, birthDate: birthDate, assessmentDate: assessmentDate, doses: relevant)
            }
            if forecast.status == .agedOut && relevant.isEmpty && !includeUnstartedAgedOut { continue }
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
        for code in dose.valenceCodes {
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
                        doses: [AdministeredDose]) -> VaccineGroupForecast {
        var result = VaccineGroupForecast(
            group: rule.id, label: rule.label, targetDiseases: rule.diseases, status: .agedOut,
            doseNumber: nil, seriesDoses: nil, seriesName: nil, earliestDate: nil, dueDate: nil,
            overdueDate: nil, latestDate: nil, supportingDoses: [])
        let latest = rule.until.map { birthDate.adding($0).adding(days: -1) }
        result.latestDate = latest

        // Choose the series by the age at the first dose that is old enough for any series,
        // or by the assessment date when there is none.
        let startDate = doses.first?.date ?? assessmentDate
        guard let series = rule.series.first(where: { s in
            s.startBefore.map { startDate < birthDate.adding($0) } ?? true
        }) else {
            return result  // aged out: started (or starting) past every series' limit
        }
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
            result.status = skippedAtEnd ? .agedOut : .complete
            result.doseNumber = counted.count
            return result
        }
        if let latest, assessmentDate > latest {
            result.status = .agedOut
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
        result.latestDate = latestForDose
        result.doseNumber = counted.count + 1
        result.earliestDate = earliest
        result.dueDate = due
        result.overdueDate = overdue
        if assessmentDate < due {
            result.status = .notDue
        } else if assessmentDate < overdue {
            result.status = .due
        } else {
            result.status = .overdue
        }
        return result
    }

    private func earliestDate(_ dose: VaccineGroupRule.Dose, birthDate: CivilDate, previous: CivilDate?) -> CivilDate {
        var date = birthDate
        if let age = dose.earliest { date = max(date, birthDate.adding(age)) }
        if let previous { date = max(date, previous.adding(dose.interval ?? .zero)) }
        return date
    }

    // MARK: - Seasonal

    func evaluateSeasonal(_ rule: VaccineGroupRule, _ s: VaccineGroupRule.Seasonal, birthDate: CivilDate,
                          assessmentDate: CivilDate, doses: [AdministeredDose]) -> VaccineGroupForecast {
        var result = VaccineGroupForecast(
            group: rule.id, label: rule.label, targetDiseases: rule.diseases, status: .notDue,
            doseNumber: nil, seriesDoses: nil, seriesName: nil, earliestDate: nil, dueDate: nil,
            overdueDate: nil, latestDate: nil, supportingDoses: [])
        func start(_ y: Int) -> CivilDate { s.start.date(in: y) }
        func end(_ y: Int) -> CivilDate { s.end.date(in: y + 1) }
        func window(_ y: Int) -> CivilDate { s.countsFrom.date(in: y) }
        let a = assessmentDate
        // The season in progress, or else the next one.
        var year = a >= start(a.year) ? a.year : (a <= end(a.year - 1) ? a.year - 1 : a.year)
        let eligible = birthDate.adding(s.fromAge)
        if eligible.year - 1 > year { year = eligible.year - 1 }
        while end(year) < eligible, year < 9998 { year += 1 }
        let inSeason = a >= start(year) && a <= end(year)
        if inSeason, let given = doses.last(where: { $0.date >= window(year) && $0.date <= a }) {
            result.status = .complete
            result.supportingDoses = [given]
            result.dueDate = max(start(year + 1), eligible)
            result.earliestDate = result.dueDate
            result.latestDate = end(year + 1)
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
            return result
        }
        let due = max(start(year), eligible)
        result.earliestDate = due
        result.dueDate = due
        result.latestDate = end(year)
        result.doseNumber = 1
        result.status = a < due ? .notDue : .due
        return result
    }
}

extension VaccineCatalogue {
    /// Valence code → disease code over every product (first occurrence wins).
    var valenceDiseases: [String: String] { valenceIndex }
}
