import Testing
import CarnetJSON
@testable import CarnetCatalogue

@Suite("FHIR ImmunizationRecommendation")
struct FHIRRecommendationTests {
    func resource() throws -> JSONValue {
        let engine = RecommendationEngine(catalogue: .builtIn)
        return engine.immunizationRecommendation(
            birthDate: try #require(CivilDate("2025-01-15")),
            assessmentDate: try #require(CivilDate("2025-05-15")),
            history: [AdministeredDose(date: try #require(CivilDate("2025-03-15")), productCode: "60645557", reference: "Immunization/hexa-1")],
            patientReference: "Patient/0f8e")
    }

    func recommendation(_ r: JSONValue, disease: String) -> JSONValue? {
        r["recommendation"]?.arrayValue?.first { rec in
            rec["targetDisease"]?["coding"]?.arrayValue?.contains { $0["code"]?.stringValue == disease } ?? false
        }
    }

    @Test func resourceShape() throws {
        let r = try resource()
        #expect(r["resourceType"] == "ImmunizationRecommendation")
        #expect(r["patient"]?["reference"] == "Patient/0f8e")
        #expect(r["date"] == "2025-05-15")
        #expect((r["recommendation"]?.arrayValue?.count ?? 0) >= 10)
        // Round-trips through the project's JSON parser.
        let text = r.serialized()
        #expect(try JSONValue.parse(Array(text.utf8)) == r)
    }

    @Test func dueRecommendationCarriesDatesDoseAndSupport() throws {
        let r = try resource()
        let hepB = try #require(recommendation(r, disease: Disease.hepatitisB.code))
        #expect(hepB["forecastStatus"]?["coding"]?[0]?["system"] == .string(FHIRRecommendation.statusSystem))
        #expect(hepB["forecastStatus"]?["coding"]?[0]?["code"] == "due")
        #expect(hepB["doseNumberPositiveInt"] == 2)
        #expect(hepB["seriesDosesPositiveInt"] == 3)
        #expect(hepB["supportingImmunization"] == [["reference": "Immunization/hexa-1"]])
        let criteria = try #require(hepB["dateCriterion"]?.arrayValue)
        func value(_ loinc: String) -> String? {
            criteria.first { $0["code"]?["coding"]?[0]?["code"]?.stringValue == loinc }?["value"]?.stringValue
        }
        #expect(criteria.allSatisfy { $0["code"]?["coding"]?[0]?["system"] == "http://loinc.org" })
        #expect(value("30981-5") == "2025-04-15")  // earliest
        #expect(value("30980-7") == "2025-05-15")  // due
        #expect(value("59778-1") == "2025-06-15")  // overdue
        #expect(value("59777-3") == "2041-01-14")  // latest: day before 16 years
    }

    @Test func notYetDueUsesTheProjectCodeSystem() throws {
        let r = try resource()
        let mmr = try #require(recommendation(r, disease: Disease.measles.code))
        #expect(mmr["forecastStatus"]?["coding"]?[0]?["system"] == .string(FHIRRecommendation.carnetStatusSystem))
        #expect(mmr["forecastStatus"]?["coding"]?[0]?["code"] == "notdue")
        #expect(mmr["forecastStatus"]?["text"] == "Pas encore à faire")
        #expect(mmr["targetDisease"]?["coding"]?.arrayValue?.count == 3)
        #expect(mmr["supportingImmunization"] == nil)
    }

    @Test func everyStatusMapsToACoding() {
        for status in ForecastStatus.allCases {
            let json = FHIRRecommendation.status(status)
            #expect(json["coding"]?[0]?["code"]?.stringValue == status.rawValue)
            let hl7 = [ForecastStatus.due, .overdue, .complete, .immune, .contraindicated].contains(status)
            #expect(json["coding"]?[0]?["system"]?.stringValue == (hl7 ? FHIRRecommendation.statusSystem : FHIRRecommendation.carnetStatusSystem))
        }
    }

    @Test func completeSeriesHasNoDateCriterion() throws {
        let forecast = VaccineGroupForecast(
            group: "x", label: "X", targetDiseases: [Disease.tetanus], status: .complete, doseNumber: 3,
            seriesDoses: 3, seriesName: "s", earliestDate: nil, dueDate: nil, overdueDate: nil, latestDate: nil,
            supportingDoses: [])
        let json = FHIRRecommendation.immunizationRecommendation(
            forecasts: [forecast], patientReference: "Patient/1", assessmentDate: try #require(CivilDate("2025-01-01")), id: "r1")
        #expect(json["id"] == "r1")
        #expect(json["recommendation"]?[0]?["dateCriterion"] == nil)
        #expect(json["recommendation"]?[0]?["doseNumberPositiveInt"] == 3)
    }
}

@Suite("YAML subset reader")
struct YAMLReaderTests {
    @Test func nuvaShapes() throws {
        let node = try YAMLReader.parse("""
            abstract: false
            label: 'JCOVDEN (ancien nom : JANSSEN)'
            comment: A plain scalar that
              continues here
            quoted: "say \\"hi\\" \\u00e9"
            single: 'it''s
              folded'
            codes:
              AIC:
              - 012875
              - '026405'
              CIS: []
            valences:
            - VAL015   # a comment
            empty:
            """)
        #expect(node["abstract"] == .scalar("false"))
        #expect(node["label"] == .scalar("JCOVDEN (ancien nom : JANSSEN)"))
        #expect(node["comment"] == .scalar("A plain scalar that continues here"))
        #expect(node["quoted"] == .scalar("say \"hi\" é"))
        #expect(node["single"] == .scalar("it's folded"))
        #expect(node["codes"]?["AIC"]?.scalarList == ["012875", "026405"])
        #expect(node["codes"]?["CIS"] == .sequence([]))
        #expect(node["valences"]?.scalarList == ["VAL015"])
        #expect(node["empty"] == .empty)
    }

    @Test(arguments: [
        ("a: 1\n b: 2", 2), ("a: [1, 2]", 1), ("a: |\n  text", 1), ("a: &x 1", 1), ("- a: 1", 1),
        ("a: 'open", 1), ("a: 1\na: 2", 2), ("a: \"bad \\q\"", 1), ("key without colon", 1), ("a:\n\t- b", 2),
        ("a: 1\n---\nb: 2", 2), ("a: 'x' y", 1),
    ])
    func rejects(text: String, line: Int) {
        do {
            _ = try YAMLReader.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        var text = ""
        for depth in 0..<200 { text += String(repeating: " ", count: depth) + "k\(depth):\n" }
        #expect(throws: YAMLError.self) { try YAMLReader.parse(text) }
    }
}
