/// The rule files of the French 2025 calendar, one per vaccine group, in display order.
/// Each is a Swift file holding only its text, because the module cannot carry bundle
/// resources (no Foundation). The language is described in RuleParser and in
/// docs/recommendations.md.
public enum RuleFiles {
    public static let all: [RuleFile] = [
        dtp, pertussis, hib, hepatitisB, pneumococcalChild, meningococcalB, meningococcalACWYInfant,
        mmr, hpv, meningococcalACWYAdolescent, influenza, covid19, pneumococcalAdult, zoster, rsv,
        // Special populations (applied when the host's context says so).
        pertussisPregnancy, rsvMaternal, rsvInfant, meningococcalACWYRisk, meningococcalBRisk, hepatitisBRisk,
        varicella, yellowFever, bcg,
    ]

    /// The parsed rules, or the first error (a test proves there is none).
    public static func parsedRules() -> Result<[VaccineGroupRule], RuleError> {
        var rules: [VaccineGroupRule] = []
        for file in all {
            do { rules.append(try RuleParser.parse(file)) } catch { return .failure(error) }
        }
        return .success(rules)
    }

    /// Parsed once, at first use. Empty only if a rule file is broken, which the tests catch.
    static let rules: [VaccineGroupRule] = (try? parsedRules().get()) ?? []
}
