// Care teams (docs/protocol.md "Care teams"): members share the team's carnets, outsiders get the
// 404 of a carnet that does not exist, the patient's revocation and a member's departure apply.
// Also who recorded each version (the recorded-by extension), which team members rely on.

import CarnetWire
import Foundation
import Testing

@testable import CarnetSandbox

@Suite struct TeamTests {
    /// Professionals "a" and "b" in team "Maison de santé", "c" outside it.
    static func withTeam(_ body: @Sendable (FHIRClient, TestService) async throws -> Void) async throws {
        let service = try TestService()
        defer { service.remove() }
        for name in ["a", "b", "c"] { _ = try service.professional(name) }
        _ = try service.team("Maison de santé", members: ["a", "b"])
        try await service.withClient { fhir in try await body(fhir, service) }
    }

    static func id(_ name: String, _ service: TestService) throws -> String {
        try #require(try service.sandbox.store.professional(email: "\(name)@example.org")).id
    }

    static func recordedBy(_ resource: JSONValue?) -> [JSONValue] {
        resource?["extension"]?.arrayValue?.filter { $0["url"]?.stringValue == WireDefinition.recordedByExtension }
            ?? []
    }

    @Test func twoMembersReadAndWriteACarnetOneOfThemCreated() async throws {
        try await Self.withTeam { (fhir, _) async throws in
            let record = try await fhir.createRecord(as: "a")
            #expect(try await fhir.send(.get, "Patient/" + record, as: "b").status == 200)
            let listed = try await fhir.send(.get, "Patient", as: "b")
            #expect(listed.body?["total"] == .int(1))

            let created = try await fhir.send(
                .post, "Immunization", as: "b", body: FHIRClient.immunization(record: record, hostID: "v1"))
            #expect(created.status == 201)
            guard let id = created.body?["id"]?.stringValue, case .object(var resource)? = created.body else {
                throw TestFailure("b could not record a vaccination")
            }
            resource["lotNumber"] = "LOT-A"
            let updated = try await fhir.send(
                .put, "Immunization/" + id, as: "a", body: .object(resource), headers: [(WireHeader.ifMatch, "W/\"1\"")]
            )
            #expect(updated.status == 200)
            let search = try await fhir.send(.get, "Immunization?patient=" + record, as: "b")
            #expect(search.body?["entry"]?[0]?["resource"]?["lotNumber"] == "LOT-A")
            #expect(try await fhir.send(.get, "Patient/\(record)/$immds-forecast", as: "b").status == 200)
            #expect(try await fhir.send(.post, "Patient/\(record)/$share-code-resend", as: "b").status == 200)
            #expect(
                try await fhir.send(.delete, "Immunization/" + id, as: "b", headers: [(WireHeader.ifMatch, "W/\"2\"")])
                    .status == 204)
        }
    }

    @Test func anOutsiderGetsTheByteIdentical404OfAMissingCarnet() async throws {
        try await Self.withTeam { (fhir, _) async throws in
            let record = try await fhir.createRecord(as: "a")
            let created = try await fhir.send(
                .post, "Immunization", as: "a", body: FHIRClient.immunization(record: record, hostID: "v1"))
            let imm = try #require(created.body?["id"]?.stringValue)
            let missing = UUID().uuidString.lowercased()
            for (real, absent) in [
                ("Patient/" + record, "Patient/" + missing), ("Immunization/" + imm, "Immunization/" + missing),
                ("Patient/\(record)/$immds-forecast", "Patient/\(missing)/$immds-forecast"),
            ] {
                let outsider = try await fhir.send(.get, real, as: "c")
                let nothing = try await fhir.send(.get, absent, as: "c")
                #expect(outsider.status == 404)
                #expect(outsider.bytes == nothing.bytes)
                #expect(!outsider.bytes.isEmpty)
            }
            let write = try await fhir.send(
                .post, "Immunization", as: "c", body: FHIRClient.immunization(record: record, hostID: "v2"))
            let writeMissing = try await fhir.send(
                .post, "Immunization", as: "c", body: FHIRClient.immunization(record: missing, hostID: "v2"))
            #expect(write.status == 404)
            #expect(write.bytes == writeMissing.bytes)
            let feed = try await fhir.send(.get, "$changes?_count=100", as: "c")
            #expect(feed.body?["entry"] == nil)
        }
    }

    @Test func thePatientsRevocationAppliesToTheWholeTeam() async throws {
        try await Self.withTeam { (fhir, service) async throws in
            let record = try await fhir.createRecord(as: "a")
            // Revoking through b (who never touched the carnet) freezes the team's grant: a too.
            let (revoked, team) = try service.sandbox.records.revokeAccess(
                record: record, professional: try Self.id("b", service))
            #expect(revoked)
            #expect(team != nil)
            for member in ["a", "b"] {
                let write = try await fhir.send(
                    .post, "Immunization", as: member, body: FHIRClient.immunization(record: record, hostID: member))
                #expect(write.status == 403)
                #expect(write.detail == .accessRevoked)
                // Frozen, not vanished: the carnet stays readable as it was.
                #expect(try await fhir.send(.get, "Patient/" + record, as: member).status == 200)
            }
        }
    }

    @Test func aRemovedMemberLosesTheTeamsCarnets() async throws {
        try await Self.withTeam { (fhir, service) async throws in
            let record = try await fhir.createRecord(as: "a")
            let before = try await fhir.send(.get, "$changes?_count=100", as: "b")
            #expect(before.body?["entry"]?.arrayValue?.isEmpty == false)
            let team = try #require(try service.sandbox.store.team(named: "Maison de santé"))
            #expect(try service.sandbox.store.removeMember(team: team, professional: try Self.id("b", service)))

            let gone = try await fhir.send(.get, "Patient/" + record, as: "b")
            let missing = try await fhir.send(.get, "Patient/" + UUID().uuidString.lowercased(), as: "b")
            #expect(gone.status == 404)
            #expect(gone.bytes == missing.bytes)
            #expect(try await fhir.send(.get, "$changes?_count=100", as: "b").body?["entry"] == nil)
            #expect(try await fhir.send(.get, "Patient", as: "b").body?["total"] == .int(0))
            // The member who stays keeps the carnet.
            #expect(try await fhir.send(.get, "Patient/" + record, as: "a").status == 200)
        }
    }

    @Test func aMemberKeepsWhatItHadBeforeJoining() async throws {
        let service = try TestService()
        defer { service.remove() }
        for name in ["a", "b"] { _ = try service.professional(name) }
        try await service.withClient { fhir in
            let own = try await fhir.createRecord(as: "b")  // before any team: b's own grant
            let team = try service.team("Centre", members: ["a", "b"])
            // Not shared with the team: the patient entrusted it to b alone.
            #expect(try await fhir.send(.get, "Patient/" + own, as: "a").status == 404)
            #expect(try service.sandbox.store.removeMember(team: team, professional: try Self.id("b", service)))
            #expect(try await fhir.send(.get, "Patient/" + own, as: "b").status == 200)
        }
    }

    @Test func memberTwosFeedShowsMemberOnesVaccinationWithWhoRecordedIt() async throws {
        try await Self.withTeam { (fhir, _) async throws in
            let record = try await fhir.createRecord(as: "a")
            var body = FHIRClient.immunization(record: record, hostID: "v1")
            // A client cannot claim someone else wrote it: the service's value replaces this one.
            if case .object(var object) = body {
                object["extension"] = [
                    [
                        "url": .string(WireDefinition.recordedByExtension),
                        "valueReference": ["display": "Dr Forged"],
                    ],
                    ["url": "urn:test:other", "valueString": "kept"],
                ]
                body = .object(object)
            }
            let created = try await fhir.send(.post, "Immunization", as: "a", body: body)
            #expect(created.status == 201)
            let feed = try await fhir.send(.get, "$changes?_count=100", as: "b")
            let entry = try #require(
                feed.body?["entry"]?.arrayValue?.first { $0["resource"]?["resourceType"] == "Immunization" })
            let marks = Self.recordedBy(entry["resource"])
            #expect(marks.count == 1)
            #expect(marks.first?["valueReference"]?["display"] == "Dr a")
            #expect(marks.first?["valueReference"]?["type"] == "Practitioner")
            #expect(marks.first?["valueReference"]?["identifier"]?["system"]?.stringValue == CodeSystem.idnps)
            #expect(marks.first?["valueReference"]?["identifier"]?["value"] == "810001234567")
            #expect(entry["resource"]?.serialized().contains("@example.org") == false)
            #expect(
                entry["resource"]?["extension"]?.arrayValue?.contains { $0["url"] == "urn:test:other" } == true)

            // An update names its own writer.
            guard let id = created.body?["id"]?.stringValue, case .object(var resource)? = created.body else {
                throw TestFailure("no Immunization")
            }
            resource["lotNumber"] = "LOT-B"
            let updated = try await fhir.send(.put, "Immunization/" + id, as: "b", body: .object(resource))
            #expect(Self.recordedBy(updated.body).first?["valueReference"]?["display"] == "Dr b")
            #expect(Self.recordedBy(updated.body).count == 1)
            let first = try await fhir.send(.get, "Immunization/\(id)/_history/1", as: "b")
            #expect(Self.recordedBy(first.body).first?["valueReference"]?["display"] == "Dr a")
        }
    }

    @Test func aVaccinationTheCitizenRecordedCarriesNoRecordedBy() async throws {
        try await Self.withTeam { (fhir, service) async throws in
            let record = try await fhir.createRecord(as: "a")
            let written = try service.sandbox.records.createImmunization(
                FHIRClient.immunization(record: record, hostID: "v1"), by: .citizen)
            #expect(Self.recordedBy(written.resource).isEmpty)
        }
    }

    @Test func aProfessionalBelongsToOneTeamAtMost() throws {
        let service = try TestService()
        defer { service.remove() }
        _ = try service.professional("a")
        _ = try service.team("One", members: ["a"])
        let other = try service.sandbox.store.createTeam(name: "Two")
        #expect(throws: TeamError.self) {
            try service.sandbox.store.addMember(team: other, professional: try Self.id("a", service))
        }
        #expect(throws: TeamError.self) { _ = try service.sandbox.store.createTeam(name: "one") }
    }
}
