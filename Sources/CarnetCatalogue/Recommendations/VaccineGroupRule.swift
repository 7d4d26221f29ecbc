/// One vaccine group of the calendar, as read from its rule file (see docs/recommendations.md
/// for the language and Rules/ for the files).
public struct VaccineGroupRule: Sendable, Equatable {
    public struct Dose: Sendable, Equatable {
        /// Minimum age for the dose to count.
        public var earliest: AgeSpan?
        /// Minimum interval after the previous counted dose.
        public var interval: AgeSpan?
        /// Recommended age.
        public var due: AgeSpan?
        /// Recommended interval after the previous counted dose (defaults to `interval`).
        public var dueInterval: AgeSpan?
        /// Age from which the dose is overdue.
        public var overdue: AgeSpan?
        /// Overdue this long after the due date (defaults to the group's grace).
        public var overdueInterval: AgeSpan?
        /// Past this age the dose is no longer given: the next one is targeted instead.
        public var skipAt: AgeSpan?
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        /// The series applies when the first dose (or, with none, the assessment) falls before this age.
        public var startBefore: AgeSpan?
        public var doses: [Dose]
        /// The last dose repeats (boosters every N years): no fixed number of doses.
        public var recurring: Bool = false
        /// The series applies only when one of these context terms holds (empty: always).
        public var when: [ContextTerm] = []
    }

    public struct MonthDay: Sendable, Equatable {
        public var month: Int
        public var day: Int

        func date(in year: Int) -> CivilDate {
            let y = max(1, min(9999, year))
            return CivilDate(year: y, month: month, day: min(day, CivilDate.daysInMonth(year: y, month: month)))
                ?? CivilDate.minimum
        }
    }

    /// A yearly campaign (influenza, COVID-19) instead of a dose series.
    public struct Seasonal: Sendable, Equatable {
        public var fromAge: AgeSpan
        public var start: MonthDay
        public var end: MonthDay
        /// A dose given from this day (in the year the season starts) counts for the season.
        public var countsFrom: MonthDay
        /// Younger people eligible because of their context (`also-eligible from <age> when ...`).
        public var alsoEligible: [Eligibility] = []
        /// One dose in life suffices (nirsevimab for an infant's first season).
        public var once: Bool = false
    }

    /// `also-eligible from <age> when <terms>`.
    public struct Eligibility: Sendable, Equatable {
        public var age: AgeSpan
        public var when: [ContextTerm]
    }

    /// The dates of one season's campaign, as published for that season (`campaign` lines).
    public struct Campaign: Sendable, Equatable {
        public var start: CivilDate
        public var end: CivilDate
        public var countsFrom: CivilDate
    }

    /// A dose in each pregnancy, between two weeks of amenorrhoea (`pregnancy from 20w to 36w`).
    public struct PregnancyWindow: Sendable, Equatable {
        public var fromWeek: Int
        /// The last week of the window (inclusive: up to `toWeek` SA + 6 days).
        public var toWeek: Int
        /// The window must fall within a campaign of the group (maternal RSV vaccination).
        public var inCampaign: Bool
    }

    public var id: String
    public var label: String
    public var diseases: [TargetDisease]
    /// When not empty, a dose counts only if it carries one of these NUVA valences.
    public var valenceAny: [String]
    public var bornFrom: CivilDate?
    public var bornBefore: CivilDate?
    /// A series not started before this age is no longer recommended (aged out).
    public var until: AgeSpan?
    public var grace: AgeSpan
    public var series: [Series]
    public var seasonal: Seasonal?
    public var sources: [String]
    /// Where in the 2025 calendar the rule comes from (section), for the doctor.
    public var reference: String = ""
    /// The group concerns only people for whom one of these terms holds (empty: everyone).
    public var appliesWhen: [ContextTerm] = []
    /// The vaccine is contraindicated when one of these holds (live vaccines).
    public var contraindicatedWhen: [ContextTerm] = []
    /// Not recommended when one of these holds (an infant whose mother was vaccinated against RSV).
    public var notRecommendedWhen: [ContextTerm] = []
    /// Campaign dates per season (the season starting in that year).
    public var campaigns: [Campaign] = []
    public var pregnancy: PregnancyWindow?

    /// Only a contraindication to report (live vaccines whose indications are out of scope).
    public var isContraindicationOnly: Bool { series.isEmpty && seasonal == nil && pregnancy == nil }
}

/// A rule-file error: the file and line, never a trap.
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// A rule file as shipped in Rules/: its name and its text.
public struct RuleFile: Sendable {
    public var name: String
    public var text: String
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// Reads the rule language (docs/recommendations.md).
///
///     group <id>
///     label <French label>
///     source <text>                      (any number, documentation)
///     counts <disease keys>              a dose counts when it protects against all of them
///     valence-any <NUVA VAL codes>       ...and carries one of these valences
///     born-from <yyyy-mm-dd> / born-before <yyyy-mm-dd>
///     until <age>                        not started before this age: aged out
///     grace <duration>                   overdue this long after the due date (default 1m)
///     series <name> [start-before <age>]
///     dose [earliest <age>] [interval <d>] [due <age>] [due-interval <d>]
///          [overdue <age>] [overdue-interval <d>] [skip-at <age>] [repeat <d>]
///     seasonal from <age> start <MM-DD> end <MM-DD> counts-from <MM-DD>
public enum RuleParser {
    public static func parse(_ file: RuleFile) throws(RuleError) -> VaccineGroupRule {
        func fail(_ line: Int, _ message: String) -> RuleError {
            RuleError(file: file.name, line: line, message: message)
        }
        var id: String?, label: String?
        var diseases: [TargetDisease] = []
        var valenceAny: [String] = []
        var bornFrom: CivilDate?, bornBefore: CivilDate?, until: AgeSpan?
        var grace = AgeSpan(months: 1)
        var series: [VaccineGroupRule.Series] = []
        var seasonal: VaccineGroupRule.Seasonal?
        var sources: [String] = []
        var reference = ""
        var appliesWhen: [ContextTerm] = [], contraindicatedWhen: [ContextTerm] = []
        var notRecommendedWhen: [ContextTerm] = []
        var campaigns: [VaccineGroupRule.Campaign] = []
        var pregnancy: VaccineGroupRule.PregnancyWindow?
        var lineNumber = 0

        for raw in file.text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = raw[...]
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first else { continue }
            let args = Array(words.dropFirst())
            func one() throws(RuleError) -> String {
                guard args.count == 1 else { throw fail(lineNumber, "'\(keyword)' takes one value") }
                return args[0]
            }
            func age(_ text: String) throws(RuleError) -> AgeSpan {
                guard let a = AgeSpan(text) else { throw fail(lineNumber, "bad age or duration '\(text)' (use 2m, 11y, 6w, 10d)") }
                return a
            }
            func date(_ text: String) throws(RuleError) -> CivilDate {
                guard let d = CivilDate(text) else { throw fail(lineNumber, "bad date '\(text)' (use yyyy-mm-dd)") }
                return d
            }
            func monthDay(_ text: String) throws(RuleError) -> VaccineGroupRule.MonthDay {
                guard let d = CivilDate("2000-" + text) else { throw fail(lineNumber, "bad day '\(text)' (use MM-DD)") }
                return .init(month: d.month, day: d.day)
            }
            func terms(_ words: ArraySlice<String>) throws(RuleError) -> [ContextTerm] {
                guard !words.isEmpty else { throw fail(lineNumber, "'\(keyword)' needs context terms") }
                var out: [ContextTerm] = []
                for word in words {
                    guard let term = ContextTerm(word) else {
                        throw fail(lineNumber, "unknown context term '\(word)' (pregnant, condition:<name>, exposure:<name>)")
                    }
                    out.append(term)
                }
                return out
            }
            func weeks(_ text: String) throws(RuleError) -> Int {
                guard text.hasSuffix("w"), let n = Int(text.dropLast()), (0...45).contains(n) else {
                    throw fail(lineNumber, "bad week of amenorrhoea '\(text)' (use 20w)")
                }
                return n
            }
            switch keyword {
            case "reference":
                guard !args.isEmpty else { throw fail(lineNumber, "reference needs text") }
                reference = args.joined(separator: " ")
            case "applies-when": appliesWhen = try terms(args[...])
            case "contraindicated-when": contraindicatedWhen = try terms(args[...])
            case "not-recommended-when": notRecommendedWhen = try terms(args[...])
            case "campaign":
                guard args.count == 4, args[2] == "counts-from" else {
                    throw fail(lineNumber, "campaign <start yyyy-mm-dd> <end yyyy-mm-dd> counts-from <yyyy-mm-dd>")
                }
                let c = VaccineGroupRule.Campaign(start: try date(args[0]), end: try date(args[1]), countsFrom: try date(args[3]))
                guard c.countsFrom <= c.start, c.start < c.end, c.start.days(until: c.end) < 366 else {
                    throw fail(lineNumber, "a campaign counts from its start or before, and lasts less than a year")
                }
                guard !campaigns.contains(where: { $0.start.year == c.start.year }) else {
                    throw fail(lineNumber, "one campaign per season")
                }
                campaigns.append(c)
            case "pregnancy":
                guard args.count == 4 || (args.count == 5 && args[4] == "in-campaign"), args[0] == "from", args[2] == "to" else {
                    throw fail(lineNumber, "pregnancy from <n>w to <m>w [in-campaign]")
                }
                let from = try weeks(args[1]), to = try weeks(args[3])
                guard from <= to else { throw fail(lineNumber, "the window ends before it starts") }
                pregnancy = .init(fromWeek: from, toWeek: to, inCampaign: args.count == 5)
            case "also-eligible":
                guard seasonal != nil else { throw fail(lineNumber, "also-eligible follows 'seasonal'") }
                guard args.count >= 4, args[0] == "from", args[2] == "when" else {
                    throw fail(lineNumber, "also-eligible from <age> when <terms>")
                }
                seasonal?.alsoEligible.append(.init(age: try age(args[1]), when: try terms(args[3...])))
            case "once":
                guard seasonal != nil, args.isEmpty else { throw fail(lineNumber, "once follows 'seasonal'") }
                seasonal?.once = true
            case "group":
                guard id == nil else { throw fail(lineNumber, "one group per file") }
                id = try one()
            case "label":
                guard !args.isEmpty else { throw fail(lineNumber, "label needs text") }
                label = args.joined(separator: " ")
            case "source":
                sources.append(args.joined(separator: " "))
            case "counts":
                guard !args.isEmpty else { throw fail(lineNumber, "counts needs diseases") }
                for key in args {
                    guard let d = Disease.byKey[key] else { throw fail(lineNumber, "unknown disease '\(key)'") }
                    diseases.append(d)
                }
            case "valence-any":
                guard !args.isEmpty, args.allSatisfy({ $0.hasPrefix("VAL") && $0.count == 6 }) else {
                    throw fail(lineNumber, "valence-any needs NUVA codes VALnnn")
                }
                valenceAny = args
            case "born-from": bornFrom = try date(try one())
            case "born-before": bornBefore = try date(try one())
            case "until": until = try age(try one())
            case "grace": grace = try age(try one())
            case "series":
                guard seasonal == nil else { throw fail(lineNumber, "a group is either seasonal or has series") }
                var name: [String] = []
                var startBefore: AgeSpan?
                var when: [ContextTerm] = []
                var i = 0
                while i < args.count {
                    if args[i] == "when" {
                        when = try terms(args[(i + 1)...])
                        break
                    } else if args[i] == "start-before" {
                        guard i + 1 < args.count else { throw fail(lineNumber, "start-before needs an age") }
                        startBefore = try age(args[i + 1])
                        i += 2
                    } else {
                        name.append(args[i])
                        i += 1
                    }
                }
                guard !name.isEmpty else { throw fail(lineNumber, "series needs a name") }
                // A repeating dose ends its series, not the group: the DTP catch-up series follow
                // the general one, each ending with the boosters every 10 years.
                series.append(.init(name: name.joined(separator: " "), startBefore: startBefore, doses: [], when: when))
            case "dose":
                guard !series.isEmpty else { throw fail(lineNumber, "dose before any series") }
                guard !series[series.count - 1].recurring else { throw fail(lineNumber, "no dose after a repeating one") }
                guard args.count % 2 == 0 else { throw fail(lineNumber, "dose attributes come in pairs") }
                var dose = VaccineGroupRule.Dose()
                var repeatEvery: AgeSpan?
                var seen: Set<String> = []
                for pair in stride(from: 0, to: args.count, by: 2) {
                    let key = args[pair], value = try age(args[pair + 1])
                    guard seen.insert(key).inserted else { throw fail(lineNumber, "'\(key)' given twice") }
                    switch key {
                    case "earliest": dose.earliest = value
                    case "interval": dose.interval = value
                    case "due": dose.due = value
                    case "due-interval": dose.dueInterval = value
                    case "overdue": dose.overdue = value
                    case "overdue-interval": dose.overdueInterval = value
                    case "skip-at": dose.skipAt = value
                    case "repeat": repeatEvery = value
                    default: throw fail(lineNumber, "unknown dose attribute '\(key)'")
                    }
                }
                let index = series.count - 1
                let isFirst = series[index].doses.isEmpty
                guard dose.due != nil || (!isFirst && (dose.interval != nil || dose.dueInterval != nil)) else {
                    throw fail(lineNumber, isFirst ? "the first dose needs 'due'" : "a dose needs 'due' or an interval")
                }
                if let due = dose.due, let earliest = dose.earliest, months(earliest) > months(due) {
                    throw fail(lineNumber, "earliest is after due")
                }
                if let due = dose.due, let overdue = dose.overdue, months(overdue) < months(due) {
                    throw fail(lineNumber, "overdue is before due")
                }
                series[index].doses.append(dose)
                if let every = repeatEvery {
                    guard every.years >= 1, dose.due != nil || dose.interval != nil || dose.dueInterval != nil else {
                        throw fail(lineNumber, "repeat needs a due age or an interval, and a period of at least a year")
                    }
                    series[index].recurring = true
                    var next = dose
                    for _ in 0..<30 {
                        func shift(_ a: AgeSpan?) -> AgeSpan? {
                            a.map { AgeSpan(years: $0.years + every.years, months: $0.months + every.months, days: $0.days + every.days) }
                        }
                        next.earliest = shift(next.earliest)
                        next.due = shift(next.due)
                        next.overdue = shift(next.overdue)
                        next.skipAt = shift(next.skipAt)
                        // Boosters by interval only (every 5 years after the previous one): 20 of them.
                        if next.due == nil, series[index].doses.count < 40 {
                            series[index].doses.append(next)
                            continue
                        }
                        guard let due = next.due, due.years <= 120 else { break }
                        series[index].doses.append(next)
                    }
                }
            case "seasonal":
                guard series.isEmpty, seasonal == nil else { throw fail(lineNumber, "a group is either seasonal or has series") }
                var values: [String: String] = [:]
                guard args.count == 8 else { throw fail(lineNumber, "seasonal from <age> start <MM-DD> end <MM-DD> counts-from <MM-DD>") }
                for pair in stride(from: 0, to: 8, by: 2) { values[args[pair]] = args[pair + 1] }
                guard let from = values["from"], let start = values["start"], let end = values["end"],
                      let countsFrom = values["counts-from"] else {
                    throw fail(lineNumber, "seasonal from <age> start <MM-DD> end <MM-DD> counts-from <MM-DD>")
                }
                seasonal = .init(fromAge: try age(from), start: try monthDay(start), end: try monthDay(end),
                                 countsFrom: try monthDay(countsFrom))
            default:
                throw fail(lineNumber, "unknown keyword '\(keyword)'")
            }
        }
        guard let id else { throw fail(lineNumber, "missing 'group'") }
        guard let label else { throw fail(lineNumber, "missing 'label'") }
        guard !diseases.isEmpty else { throw fail(lineNumber, "missing 'counts'") }
        guard seasonal != nil || !series.isEmpty || pregnancy != nil || !contraindicatedWhen.isEmpty else {
            throw fail(lineNumber, "needs 'series' with doses or 'seasonal'")
        }
        if pregnancy?.inCampaign == true, campaigns.isEmpty {
            throw fail(lineNumber, "'pregnancy ... in-campaign' needs campaign lines")
        }
        if let empty = series.first(where: { $0.doses.isEmpty }) {
            throw fail(lineNumber, "series '\(empty.name)' has no dose")
        }
        return VaccineGroupRule(
            id: id, label: label, diseases: diseases, valenceAny: valenceAny, bornFrom: bornFrom,
            bornBefore: bornBefore, until: until, grace: grace, series: series, seasonal: seasonal, sources: sources,
            reference: reference, appliesWhen: appliesWhen, contraindicatedWhen: contraindicatedWhen,
            notRecommendedWhen: notRecommendedWhen, campaigns: campaigns.sorted { $0.start < $1.start },
            pregnancy: pregnancy)
    }

    /// Approximate length in months, only to sanity-check a rule's ages.
    private static func months(_ a: AgeSpan) -> Int { a.years * 12 + a.months + a.days / 30 }
}
