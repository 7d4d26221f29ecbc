import Testing
@testable import CarnetCatalogue

@Suite("Rule files and rule language")
struct RuleParserTests {
    @Test func everyShippedRuleFileParses() throws {
        let rules = try RuleFiles.parsedRules().get()
        #expect(rules.count == RuleFiles.all.count)
        #expect(RuleFiles.rules.count == RuleFiles.all.count)
        #expect(Set(rules.map(\.id)).count == rules.count, "group ids are unique")
        for rule in rules {
            #expect(!rule.sources.isEmpty, "\(rule.id) cites its source")
        }
    }

    @Test func dtpRuleReadsAsWritten() throws {
        let dtp = try RuleParser.parse(RuleFiles.dtp)
        #expect(dtp.diseases == [Disease.diphtheria, Disease.tetanus, Disease.polio])
        let series = try #require(dtp.series.first)
        #expect(series.recurring)
        #expect(series.doses[0].due == AgeSpan(months: 2))
        #expect(series.doses[0].earliest == AgeSpan(weeks: 6))
        #expect(series.doses[5].due == AgeSpan(years: 25))
        // 75 repeated every 10 years up to 115.
        #expect(series.doses.compactMap(\.due).suffix(5).map(\.years) == [75, 85, 95, 105, 115])
    }

    static let broken: [(String, Int, String)] = [
        ("label X\ncounts tetanus\nseries s\ndose due 2m", 4, "missing 'group'"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose due 2x", 5, "bad age"),
        ("group g\nlabel X\ncounts tetanos\nseries s\ndose due 2m", 3, "unknown disease"),
        ("group g\nlabel X\ncounts tetanus\ndose due 2m", 4, "dose before any series"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose earliest 3m due 2m", 5, "earliest is after due"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose due 2m overdue 1m", 5, "overdue is before due"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose interval 1m", 5, "needs 'due'"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose due 2m due 3m", 5, "given twice"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose due 2m frequency 1y", 5, "unknown dose attribute"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose due 2m repeat 1y\ndose due 3m", 6, "no dose after a repeating one"),
        ("group g\nlabel X\ncounts tetanus\nseries s", 4, "has no dose"),
        ("group g\nlabel X\ncounts tetanus", 3, "needs 'series'"),
        ("group g\nlabel X\ncounts tetanus\nborn-from 1980-02-30\nseries s\ndose due 1m", 4, "bad date"),
        ("group g\nlabel X\ncounts tetanus\nseasonal from 65y start 13-01 end 01-31 counts-from 09-01", 4, "bad day"),
        ("group g\nlabel X\ncounts tetanus\nseasonal from 65y start 10-14", 4, "seasonal from"),
        ("group g\ngroup h", 2, "one group per file"),
        ("group g\nlabel X\ncounts tetanus\nvalence-any 193\nseries s\ndose due 1m", 4, "NUVA codes"),
        ("group g\nlabel X\ncounts tetanus\nseries s\ndose due 99999y", 5, "bad age"),
        ("group g\nlabel X\nwhatever\n", 3, "unknown keyword"),
    ]

    @Test(arguments: broken)
    func brokenRulesAreErrorsWithLines(text: String, line: Int, message: String) {
        do {
            _ = try RuleParser.parse(RuleFile(name: "test.rules", text: text))
            Issue.record("accepted a broken rule: \(text)")
        } catch {
            #expect(error.file == "test.rules")
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func engineWithCustomRulesUsesThem() throws {
        let rule = try RuleParser.parse(RuleFile(name: "t.rules", text: """
            group tetanus-only
            label Tétanos
            counts tetanus
            series s
            dose due 1y
            """))
        let engine = RecommendationEngine(catalogue: .builtIn, rules: [rule])
        let birth = try #require(CivilDate("2020-01-01"))
        let forecasts = engine.forecast(birthDate: birth, assessmentDate: try #require(CivilDate("2020-06-01")), history: [])
        #expect(forecasts.map(\.group) == ["tetanus-only"])
        #expect(forecasts.first?.status == .notDue)
        #expect(forecasts.first?.dueDate == CivilDate("2021-01-01"))
    }

    @Test func historyBeforeBirthOrAfterAssessmentIsIgnored() throws {
        let engine = RecommendationEngine(catalogue: .builtIn)
        let birth = try #require(CivilDate("2025-01-15"))
        let at = try #require(CivilDate("2025-03-20"))
        let history = [
            AdministeredDose(date: try #require(CivilDate("2024-12-01")), productCode: "60645557"),
            AdministeredDose(date: try #require(CivilDate("2025-03-25")), productCode: "60645557"),
            AdministeredDose(date: try #require(CivilDate("2025-03-16")), productCode: "not-a-code"),
        ]
        let dtp = try #require(engine.forecast(birthDate: birth, assessmentDate: at, history: history).first { $0.group == "dtp" })
        #expect(dtp.supportingDoses.isEmpty)
        #expect(dtp.status == .due)
    }

    @Test func agedOutGroupsOnRequest() throws {
        var engine = RecommendationEngine(catalogue: .builtIn)
        let birth = try #require(CivilDate("1970-01-01"))
        let at = try #require(CivilDate("2025-01-01"))
        #expect(!engine.forecast(birthDate: birth, assessmentDate: at, history: []).contains { $0.group == "hib" })
        engine.includeUnstartedAgedOut = true
        #expect(engine.forecast(birthDate: birth, assessmentDate: at, history: []).first { $0.group == "hib" }?.status == .notRecommended)
    }

    @Test func extremeDatesDoNotTrap() throws {
        let engine = RecommendationEngine(catalogue: .builtIn)
        let old = try #require(CivilDate("0001-01-01"))
        let late = try #require(CivilDate("9999-12-31"))
        _ = engine.forecast(birthDate: old, assessmentDate: late, history: [AdministeredDose(date: late, productCode: "60645557")])
        _ = engine.forecast(birthDate: late, assessmentDate: old, history: [])
        let seasonal = engine.forecast(birthDate: late, assessmentDate: late, history: [])
        #expect(seasonal.allSatisfy { $0.status != .due || $0.dueDate != nil })
    }
}

@Suite("Civil dates")
struct CivilDateTests {
    @Test func parseAndFormat() {
        #expect(CivilDate("2025-03-15")?.iso == "2025-03-15")
        #expect(CivilDate("2024-02-29") != nil)
        #expect(CivilDate("2025-02-29") == nil)
        #expect(CivilDate("1900-02-29") == nil)
        #expect(CivilDate("2000-02-29") != nil)
        #expect(CivilDate("2025-13-01") == nil)
        #expect(CivilDate("2025-00-10") == nil)
        #expect(CivilDate("2025-1-01") == nil)
        #expect(CivilDate("2025-01-01T00:00") == nil)
        #expect(CivilDate("２０２５-01-01") == nil)
        #expect(CivilDate("0000-01-01") == nil)
    }

    @Test func monthArithmeticClampsToMonthEnd() {
        #expect(CivilDate("2024-01-31")?.adding(months: 1).iso == "2024-02-29")
        #expect(CivilDate("2025-01-31")?.adding(months: 1).iso == "2025-02-28")
        #expect(CivilDate("2024-02-29")?.adding(years: 1).iso == "2025-02-28")
        #expect(CivilDate("2024-02-29")?.adding(years: 4).iso == "2028-02-29")
        #expect(CivilDate("2025-03-31")?.adding(months: -1).iso == "2025-02-28")
        #expect(CivilDate("2025-01-15")?.adding(months: 11).iso == "2025-12-15")
        #expect(CivilDate("2025-01-15")?.adding(months: -13).iso == "2023-12-15")
        #expect(CivilDate("2025-01-15")?.adding(AgeSpan(weeks: 6)).iso == "2025-02-26")
        #expect(CivilDate("9999-12-01")?.adding(months: 5) == CivilDate.maximum)
        #expect(CivilDate("0001-02-01")?.adding(months: -5) == CivilDate.minimum)
        #expect(CivilDate("2025-01-01")?.adding(days: Int.max) == CivilDate.maximum)
        #expect(CivilDate("2025-01-01")?.adding(months: Int.min) == CivilDate.minimum)
    }

    @Test func dayNumbersRoundTrip() {
        #expect(CivilDate("1970-01-01")?.dayNumber == 0)
        #expect(CivilDate("2000-03-01")?.dayNumber == 11_017)
        for n in stride(from: -719_162, through: 2_932_896, by: 997) {
            #expect(CivilDate.fromDayNumber(n).dayNumber == n)
        }
        #expect(CivilDate("2024-12-31")?.adding(days: 1).iso == "2025-01-01")
        #expect(CivilDate("2024-02-28")?.adding(days: 1).iso == "2024-02-29")
        #expect(CivilDate("2025-03-01")?.adding(days: -1).iso == "2025-02-28")
    }

    @Test func ageAndComparison() throws {
        let birth = try #require(CivilDate("2014-05-10"))
        #expect(birth.age(on: try #require(CivilDate("2025-05-09"))) == 10)
        #expect(birth.age(on: try #require(CivilDate("2025-05-10"))) == 11)
        #expect(birth.age(on: try #require(CivilDate("2000-01-01"))) == 0)
        #expect(try #require(CivilDate("2025-01-01")) < #require(CivilDate("2025-01-02")))
    }

    @Test func ageSpans() {
        #expect(AgeSpan("1y6m") == AgeSpan(years: 1, months: 6))
        #expect(AgeSpan("6w") == AgeSpan(days: 42))
        #expect(AgeSpan("") == nil)
        #expect(AgeSpan("m") == nil)
        #expect(AgeSpan("12") == nil)
        #expect(AgeSpan("1x") == nil)
        #expect(AgeSpan("999999y") == nil)
    }
}
