import CarnetCatalogue
import CarnetJSON
import CarnetWire
import Testing

@Suite struct WireBuilderTests {
    @Test func operationPathsReadLikeTheCFunctions() {
        #expect(WirePath.recordClaim == "$record-claim")
        #expect(WirePath.shareCodeLookup == "$share-code-lookup")
        #expect(WirePath.shareCodeResend(record: "r1") == "Patient/r1/$share-code-resend")
        #expect(WirePath.immdsForecast(record: "r1") == "Patient/r1/$immds-forecast")
        #expect(WirePath.valueSetExpand == "ValueSet/$expand")
        #expect(WirePath.changes == "$changes")
    }

    @Test func outcomeCarriesTheDetailCodeAndReadsBack() throws {
        let outcome = OperationOutcome.make(
            severity: .error, code: .businessRule, message: "date in the future",
            detail: .dateInFuture, expression: "Immunization.occurrenceDateTime")
        let text = outcome.serialized()
        #expect(
            text == #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"business-rule","#
                + #""details":{"coding":[{"system":"https://carnet-sandbox.invalid/fhir/CodeSystem/outcome","#
                + #""code":"date-in-future"}],"text":"date in the future"},"diagnostics":"date in the future","#
                + #""expression":["Immunization.occurrenceDateTime"]}]}"#)
        let parsed = try JSONValue.parse(text)
        #expect(OperationOutcome.detail(of: parsed) == .dateInFuture)
        #expect(OperationOutcome.detailCode(of: parsed) == "date-in-future")
    }

    @Test func anUnknownDetailCodeIsStillSeenRaw() throws {
        let outcome = try JSONValue.parse(
            #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","#
                + #""details":{"coding":[{"code":"from-a-newer-service"}]}}]}"#)
        #expect(OperationOutcome.detailCode(of: outcome) == "from-a-newer-service")
        #expect(OperationOutcome.detail(of: outcome) == nil)
        #expect(OperationOutcome.detailCode(of: ["resourceType": "Patient"]) == nil)
    }

    @Test func outcomeWithoutDetailHasNoDetails() {
        let outcome = OperationOutcome.make(severity: .error, code: .exception, message: "internal error")
        #expect(outcome["issue"]?[0]?["details"] == nil)
        #expect(OperationOutcome.detail(of: outcome) == nil)
    }

    @Test func detailCodesAreUnique() {
        let codes = OutcomeDetail.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
    }

    @Test func parametersUseTheValueMemberOfTheirType() {
        let resource = Parameters.make([
            ("code", .string("ABCD")), ("birthDate", .date("2012-01-09")),
            ("n", .integer(3)), ("kind", .code("x")),
        ])
        #expect(
            resource.serialized() == #"{"resourceType":"Parameters","parameter":[{"name":"code","valueString":"ABCD"},"#
                + #"{"name":"birthDate","valueDate":"2012-01-09"},{"name":"n","valueInteger":3},"#
                + #"{"name":"kind","valueCode":"x"}]}"#)
        #expect(Parameters.texts(of: resource) == ["code": "ABCD", "birthDate": "2012-01-09", "kind": "x"])
        #expect(Parameters.texts(of: ["resourceType": "Patient"]) == nil)
    }

    @Test func shareCodeCandidatesRoundTrip() {
        let candidates = [
            ShareCodeCandidate(id: "c1", pseudonym: "Ambroise"), ShareCodeCandidate(id: "c2", pseudonym: "voyage"),
        ]
        let answer = ShareCodeParameters.lookupAnswer(candidates)
        #expect(ShareCodeParameters.candidates(in: answer) == candidates)
        #expect(ShareCodeParameters.candidates(in: Parameters.make([])) == [])
    }

    @Test func aCandidateWithoutPseudonymIsAProtocolViolation() {
        let answer = Parameters.make([("candidate", .parts([("id", .string("c1"))]))])
        #expect(ShareCodeParameters.candidates(in: answer) == nil)
        #expect(ShareCodeParameters.candidates(in: ["resourceType": "Bundle"]) == nil)
    }

    @Test func claimRequestSendsTheBirthDateAsADate() {
        let request = ShareCodeParameters.claimRequest(code: "K", candidate: "c1", birthDate: "2012-01-09")
        #expect(Parameters.all(named: "birthDate", in: request).first?["valueDate"] == "2012-01-09")
        #expect(Parameters.texts(of: request) == ["code": "K", "candidate": "c1", "birthDate": "2012-01-09"])
    }

    @Test func vaccineEntryIsCodedByCISWithTheOtherCodesAsDesignations() {
        let entry = VaccineExpansionEntry(
            name: "AGRIPPAL", cisCodes: ["60001234", "60005678"], nuva: "VAC0123",
            atc: "J07BB02", targetDiseases: ["Grippe"], marketedInFrance: true
        ).json
        #expect(entry["system"] == .string(CodeSystem.cis))
        #expect(entry["code"] == "60001234")
        #expect(entry["display"] == "AGRIPPAL")
        let uses = entry["designation"]?.arrayValue?.compactMap { $0["use"]?["code"]?.stringValue }
        #expect(uses == ["target-disease", "nuva", "atc", "cis", "marketed-in-france"])
        #expect(entry["designation"]?[0]?["value"] == "Grippe")
        #expect(entry["designation"]?[0]?["use"]?["system"] == .string(CodeSystem.designationUse))
    }

    @Test func vaccineWithoutCISIsCodedByNUVA() {
        let entry = VaccineExpansionEntry(name: "X", cisCodes: [], nuva: "VAC9").json
        #expect(entry["system"] == .string(CodeSystem.nuva))
        #expect(entry["code"] == "VAC9")
    }

    @Test func valueSetFromSerialisedEntriesIsTheSameText() {
        let entries = [
            VaccineExpansionEntry(name: "PRIORIX", cisCodes: ["61896473"], nuva: "VAC0001", atc: "J07BD52",
                                  targetDiseases: ["Rougeole", "Oreillons"], marketedInFrance: true).json,
            VaccineExpansionEntry(name: "X \"quoted\"", cisCodes: [], nuva: "VAC9").json,
        ]
        for count in 0...entries.count {
            let some = Array(entries.prefix(count))
            let tree = VaccineValueSet.expansion(filter: "ror", timestamp: "2026-01-01T00:00:00Z", entries: some)
            let bytes = VaccineValueSet.expansionUTF8(
                filter: "ror", timestamp: "2026-01-01T00:00:00Z", serializedEntries: some.map { $0.serializedUTF8() })
            #expect(bytes == tree.serializedUTF8(), "\(count) entries")
            #expect((try? JSONValue.parse(bytes)) == tree)
        }
    }

    @Test func valueSetCountsItsEntriesAndOmitsAnEmptyContains() {
        let empty = VaccineValueSet.expansion(filter: "zzz", timestamp: "2026-01-01T00:00:00Z", entries: [])
        #expect(empty["expansion"]?["total"] == 0)
        #expect(empty["expansion"]?["contains"] == nil)
        #expect(empty["expansion"]?["identifier"] == nil)
        let one = VaccineValueSet.expansion(
            filter: "g", count: 5, timestamp: "2026-01-01T00:00:00Z", identifier: "urn:uuid:1",
            entries: [VaccineExpansionEntry(name: "A", cisCodes: ["1"]).json])
        #expect(one["expansion"]?["total"] == 1)
        #expect(one["expansion"]?["parameter"]?[1]?["valueInteger"] == 5)
        #expect(one["resourceType"] == "ValueSet" && one["status"] == "active")
    }

    @Test func aPagedValueSetReportsEveryMatchAndAnEmptyFilterIsNotAParameter() {
        let page = VaccineValueSet.expansion(
            filter: "", count: 1, timestamp: "2026-01-01T00:00:00Z",
            entries: [VaccineExpansionEntry(name: "A", cisCodes: ["1"]).json], total: 40, offset: 3)
        #expect(page["expansion"]?["total"] == 40)
        #expect(page["expansion"]?["offset"] == 3)
        let names = (page["expansion"]?["parameter"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(names == ["offset", "count"])
        let bare = VaccineValueSet.expansion(filter: "", timestamp: "2026-01-01T00:00:00Z", entries: [])
        #expect(bare["expansion"]?["parameter"] == nil)
    }

    @Test func nuvaSystemAgreesWithTheCatalogue() {
        // The catalogue keeps its own copy (it cannot depend on CarnetWire); they must not drift.
        #expect(CodeSystem.nuva == FHIRRecommendation.nuvaSystem)
        #expect(CodeSystem.nuvaAliases.contains(FHIRRecommendation.nuvaSystem))
    }
}
