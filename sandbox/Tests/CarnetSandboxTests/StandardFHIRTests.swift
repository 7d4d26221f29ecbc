// What standard FHIR clients rely on (docs/protocol.md §2, §4.3, §8.2): refused parameters,
// R4-only elements, Patient search criteria, `_summary=count`, `Prefer: return=minimal`,
// Last-Modified on reads, a paged `$expand` with its real total.

import CarnetWire
import Testing

@testable import CarnetSandbox

@Suite struct StandardFHIRTests {
    static func withService(_ body: @Sendable (FHIRClient) async throws -> Void) async throws {
        let service = try TestService()
        defer { service.remove() }
        _ = try service.professional("a")
        _ = try service.professional("b")
        try await service.withClient(body)
    }

    static func patient(family: String, birthDate: String, ins: String) -> JSONValue {
        [
            "resourceType": "Patient", "name": [["family": .string(family), "given": ["Jeanne"]]],
            "birthDate": .string(birthDate), "gender": "female",
            "telecom": [["system": "email", "value": "famille@example.org"]],
            "identifier": [["system": .string(CodeSystem.insNIR), "value": .string(ins)]],
        ]
    }

    @Test func elementCheckNamesTheFirstElementThatIsNotR4() throws {
        func refusal(_ resource: JSONValue) -> FHIRError? {
            guard case .object(let object) = resource else { return nil }
            do { try ElementCheck.check(object, type: "Immunization") } catch let error as FHIRError {
                return error
            } catch { return nil }
            return nil
        }
        let valid: JSONValue = [
            "resourceType": "Immunization", "status": "completed", "occurrenceString": "printemps 2010",
            "vaccineCode": ["coding": [["system": "urn:x", "code": "1", "userSelected": true]]],
            "patient": ["reference": "Patient/1"], "_status": ["extension": [["url": "urn:y", "valueCode": "z"]]],
            "protocolApplied": [["doseNumberPositiveInt": 1, "targetDisease": [["text": "Grippe"]]]],
            "doseQuantity": ["value": .number("0.5")], "contained": [["resourceType": "Patient", "active": true]],
        ]
        #expect(refusal(valid) == nil)
        var nested = valid
        nested["vaccineCode"] = ["coding": [["system": "urn:x", "label": "1"]]]
        #expect(refusal(nested)?.expression == "Immunization.vaccineCode.coding[0].label")
        #expect(refusal(nested)?.detail == .unknownElement)
        var choice = valid
        choice["occurrenceInstant"] = "2010-01-01T00:00:00Z"
        #expect(refusal(choice)?.expression == "Immunization.occurrenceInstant")
        var kind = valid
        kind["primarySource"] = "yes"
        #expect(refusal(kind)?.detail == .malformed)
        var single = valid
        single["patient"] = [["reference": "Patient/1"]]
        #expect(refusal(single)?.expression == "Immunization.patient")
        var contained = valid
        contained["contained"] = [["resourceType": "Observation"]]
        #expect(refusal(contained)?.expression == "Immunization.contained[0]")
        var noURL = valid
        noURL["extension"] = [["valueString": "x"]]
        #expect(refusal(noURL)?.expression == "Immunization.extension[0].url")
    }

    @Test func patientSearchNarrowsAndRefusesWhatItDoesNotSupport() async throws {
        try await Self.withService { fhir in
            let first = try await fhir.send(
                .post, "Patient", body: Self.patient(family: "Lefèvre", birthDate: "2012-03-04", ins: "248000000000012"))
            let second = try await fhir.send(
                .post, "Patient", body: Self.patient(family: "Martin", birthDate: "2001-01-20", ins: "148000000000013"))
            let firstID = try #require(first.body?["id"]?.stringValue)
            let secondID = try #require(second.body?["id"]?.stringValue)
            // b's carnet never shows in a's searches.
            _ = try await fhir.send(
                .post, "Patient", as: "b", body: Self.patient(family: "Lefort", birthDate: "2012-05-05", ins: "248000000000099"))
            func ids(_ query: String) async throws -> [String] {
                let answer = try await fhir.send(.get, "Patient?" + query)
                #expect(answer.status == 200, "\(query)")
                return (answer.body?["entry"]?.arrayValue ?? []).compactMap { $0["resource"]?["id"]?.stringValue }
            }
            #expect(try await ids("identifier=\(CodeSystem.insNIR)%7C248000000000012") == [firstID])
            #expect(try await ids("family=LEFE") == [firstID])
            #expect(try await ids("_id=\(secondID)") == [secondID])
            #expect(try await ids("birthdate=lt2010") == [secondID])
            #expect(try await ids("birthdate=ge2000&birthdate=le2001-12") == [secondID])
            #expect(try await ids("family=nobody") == [])
            let refused = try await fhir.send(.get, "Patient?name=Martin")
            #expect(refused.status == 400)
            #expect(refused.detail == .unsupportedParameter)
            #expect(refused.body?["issue"]?[0]?["expression"]?[0] == "name")
            let counted = try await fhir.send(.get, "Patient?_summary=count")
            #expect(counted.body?["total"] == 2)
            #expect(counted.body?["entry"] == nil)
        }
    }

    @Test func unknownElementsAreRefusedAtWrite() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            var body = FHIRClient.immunization(record: record, hostID: "v1")
            body["doseNumber"] = 1
            let refused = try await fhir.send(.post, "Immunization", body: body)
            #expect(refused.status == 400)
            #expect(refused.detail == .unknownElement)
            #expect(refused.body?["issue"]?[0]?["expression"]?[0] == "Immunization.doseNumber")
            let search = try await fhir.send(.get, "Immunization?patient=\(record)&_count=0")
            #expect(search.body?["total"] == 0)
        }
    }

    @Test func preferMinimalAnswersHeadersOnlyAndReadsCarryLastModified() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            let created = try await fhir.send(
                .post, "Immunization", body: FHIRClient.immunization(record: record, hostID: "v1"),
                headers: [("Prefer", "return=minimal")])
            #expect(created.status == 201)
            #expect(created.bytes.isEmpty)
            #expect(created.header("ETag") == "W/\"1\"")
            let location = try #require(created.header("Location"))
            let id = try #require(location.split(separator: "/").dropLast(2).last.map(String.init))
            let read = try await fhir.send(.get, "Immunization/\(id)")
            #expect(read.header("Last-Modified")?.hasSuffix("GMT") == true)
            #expect(read.header("ETag") == "W/\"1\"")
            let version = try await fhir.send(.get, "Immunization/\(id)/_history/1")
            #expect(version.header("Last-Modified") == read.header("Last-Modified"))
        }
    }

    @Test func expandPagesWithOffsetAndReportsEveryMatch() async throws {
        try await Self.withService { fhir in
            let whole = try await fhir.send(.get, "ValueSet/$expand?count=100")
            let page = try await fhir.send(.get, "ValueSet/$expand?count=2&offset=1")
            let total = try #require(whole.body?["expansion"]?["total"]?.intValue)
            #expect(total > 2)
            #expect(page.body?["expansion"]?["total"]?.intValue == total)
            let codes = { (answer: Answer) in
                (answer.body?["expansion"]?["contains"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
            }
            #expect(codes(page) == Array(codes(whole)[1...2]))
            let parameters = page.body?["expansion"]?["parameter"]?.arrayValue ?? []
            #expect(!parameters.contains { $0["name"] == "filter" })
            let other = try await fhir.send(.get, "ValueSet/$expand?url=http%3A%2F%2Fexample.org%2Fvs")
            #expect(other.status == 404)
        }
    }
}
