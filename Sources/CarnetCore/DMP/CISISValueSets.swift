/// The CI-SIS value sets and fixed codes the vaccination note uses, written from the ANS's public
/// specification (volet Vaccination 2023.01, jeux de valeurs JDV_ImmunizationRouteCodes_CISIS
/// 1.2.250.1.213.1.1.5.676 and JDV_ImmunizationApproachSiteCode_CISIS 1.2.250.1.213.1.1.5.621,
/// JDV_HL7_ActSubstanceAdministrationImmunizationCode_CISIS 2.16.840.1.113883.1.11.19709). The
/// FR Core Immunization profile binds `route` and `site` to the same two value sets, so a
/// FR-Core-conformant Immunization already carries these codes; the few HL7 v3 and SNOMED codings
/// other systems use for the same concepts are mapped (`routeAliases`, `siteAliases`).
enum CISISValueSets {
    /// A coded concept as CDA writes it.
    struct Concept: Sendable, Equatable {
        let code: String
        let codeSystem: String
        let displayName: String
    }

    static let edqmOID = "0.4.0.127.0.16.1.1.2.1"
    static let snomedOID = "2.16.840.1.113883.6.96"
    static let actCodeOID = "2.16.840.1.113883.5.4"

    /// JDV_ImmunizationRouteCodes_CISIS: EDQM Standard Terms routes.
    static let routes: [Concept] = [
        Concept(code: "20035000", codeSystem: edqmOID, displayName: "Voie intramusculaire"),
        Concept(code: "20030000", codeSystem: edqmOID, displayName: "Voie intradermique"),
        Concept(code: "20020000", codeSystem: edqmOID, displayName: "Voie inhalée"),
        Concept(code: "20053000", codeSystem: edqmOID, displayName: "Voie orale"),
        Concept(code: "20066000", codeSystem: edqmOID, displayName: "Voie sous-cutanée"),
    ]

    /// JDV_ImmunizationApproachSiteCode_CISIS: SNOMED CT body sites.
    static let sites: [Concept] = [
        Concept(code: "64262003", codeSystem: snomedOID, displayName: "avant-bras droit"),
        Concept(code: "66480008", codeSystem: snomedOID, displayName: "avant-bras gauche"),
        Concept(code: "16217661000119109", codeSystem: snomedOID, displayName: "deltoïde droit"),
        Concept(code: "16217701000119102", codeSystem: snomedOID, displayName: "deltoïde gauche"),
        Concept(code: "91774008", codeSystem: snomedOID, displayName: "épaule droite"),
        Concept(code: "91775009", codeSystem: snomedOID, displayName: "épaule gauche"),
        Concept(code: "11207009", codeSystem: snomedOID, displayName: "cuisse droite"),
        Concept(code: "61396006", codeSystem: snomedOID, displayName: "cuisse gauche"),
        Concept(code: "723980000", codeSystem: snomedOID, displayName: "fesse droite"),
        Concept(code: "723979003", codeSystem: snomedOID, displayName: "fesse gauche"),
    ]

    /// FHIR system URIs that mean the value sets' own code systems.
    static let edqmSystems: Set<String> = ["http://standardterms.edqm.eu", "urn:oid:" + edqmOID]
    static let snomedSystems: Set<String> = ["http://snomed.info/sct", "urn:oid:" + snomedOID]
    static let v3RouteSystem = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"
    static let v3ActSiteSystem = "http://terminology.hl7.org/CodeSystem/v3-ActSite"

    /// Codings from other systems with exactly the same meaning (FHIR's example value sets use HL7
    /// v3; SNOMED CT has route concepts). Nothing approximate: nasal is not mapped to inhaled.
    static let routeAliases: [String: String] = [
        v3RouteSystem + "|IM": "20035000", v3RouteSystem + "|IDINJ": "20030000",
        v3RouteSystem + "|SQ": "20066000", v3RouteSystem + "|PO": "20053000",
        v3RouteSystem + "|NASINHLC": "20020000",
        "http://snomed.info/sct|78421000": "20035000", "http://snomed.info/sct|34206005": "20066000",
        "http://snomed.info/sct|372464004": "20030000", "http://snomed.info/sct|26643006": "20053000",
    ]
    static let siteAliases: [String: String] = [
        v3ActSiteSystem + "|LD": "16217701000119102", v3ActSiteSystem + "|RD": "16217661000119109",
        v3ActSiteSystem + "|LT": "61396006", v3ActSiteSystem + "|RT": "11207009",
        v3ActSiteSystem + "|LG": "723979003", v3ActSiteSystem + "|RG": "723980000",
    ]

    /// The value set's concept for a FHIR coding, or nil when the coding is outside it.
    static func route(system: String, code: String) -> Concept? {
        concept(system: system, code: code, in: routes, ownSystems: edqmSystems, aliases: routeAliases)
    }

    static func site(system: String, code: String) -> Concept? {
        concept(system: system, code: code, in: sites, ownSystems: snomedSystems, aliases: siteAliases)
    }

    private static func concept(
        system: String, code: String, in set: [Concept], ownSystems: Set<String>, aliases: [String: String]
    ) -> Concept? {
        let target = ownSystems.contains(system) ? code : aliases[system + "|" + code]
        guard let target else { return nil }
        return set.first { $0.code == target }
    }

    /// The entry's `code` (JDV_HL7_ActSubstanceAdministrationImmunizationCode_CISIS).
    static let immunizationTypes: [Concept] = [
        Concept(code: "IMMUNIZ", codeSystem: actCodeOID, displayName: "Vaccination sans autre précision"),
        Concept(code: "INITIMMUNIZ", codeSystem: actCodeOID, displayName: "1ère série vaccinante"),
        Concept(code: "BOOSTER", codeSystem: actCodeOID, displayName: "Rappel de vaccin"),
    ]

    /// confidentialityCode (HL7 v3 Confidentiality, the values the CI-SIS admits).
    static let confidentialities: [Concept] = [
        Concept(code: "N", codeSystem: "2.16.840.1.113883.5.25", displayName: "Normal"),
        Concept(code: "R", codeSystem: "2.16.840.1.113883.5.25", displayName: "Restreint"),
        Concept(code: "V", codeSystem: "2.16.840.1.113883.5.25", displayName: "Très restreint"),
    ]

    /// administrativeGenderCode (HL7 v3 AdministrativeGender).
    static let genders: [Concept] = [
        Concept(code: "F", codeSystem: "2.16.840.1.113883.5.1", displayName: "Féminin"),
        Concept(code: "M", codeSystem: "2.16.840.1.113883.5.1", displayName: "Masculin"),
        Concept(code: "U", codeSystem: "2.16.840.1.113883.5.1", displayName: "Inconnu"),
    ]
}
