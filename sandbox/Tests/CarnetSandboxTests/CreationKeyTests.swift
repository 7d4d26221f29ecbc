// Idempotency-Key on POST Patient (docs/protocol.md 4.1): a repeated creation answers the first
// carnet with 200 and sends no second email; the key reused with another body is refused.

import CarnetWire
import Foundation
import Testing

@testable import CarnetSandbox

@Suite struct CreationKeyTests {
    static func patient(given: String = "Louise", email: String = "famille.bernard@example.org") -> JSONValue {
        [
            "resourceType": "Patient",
            "name": [["family": "Bernard", "given": [.string(given)]]],
            "birthDate": "2019-04-02", "gender": "female",
            "telecom": [["system": "email", "value": .string(email)]],
        ]
    }

    static func withService(_ body: @Sendable (FHIRClient, TestService) async throws -> Void) async throws {
        let service = try TestService()
        defer { service.remove() }
        _ = try service.professional("a")
        _ = try service.professional("b")
        try await service.withClient { fhir in try await body(fhir, service) }
    }

    @Test func theSameKeyTwiceGivesOneCarnetAndOneEmail() async throws {
        try await Self.withService { (fhir, service) async throws in
            let key = [(WireHeader.idempotencyKey, "\"4b2c0c1e-6d0f-4d8c-9a55-3f2b8f0e7d11\"")]
            let first = try await fhir.send(.post, "Patient", body: Self.patient(), headers: key)
            #expect(first.status == 201)
            #expect(service.emails().count == 1)
            let again = try await fhir.send(.post, "Patient", body: Self.patient(), headers: key)
            #expect(again.status == 200)
            #expect(again.body?["id"] == first.body?["id"])
            #expect(again.header("ETag") == "W/\"1\"")
            #expect(service.emails().count == 1)
            #expect(try await fhir.send(.get, "Patient").body?["total"] == .int(1))
        }
    }

    @Test func theKeyReusedWithAnotherBodyIs422() async throws {
        try await Self.withService { (fhir, service) async throws in
            let key = [(WireHeader.idempotencyKey, "\"k-1\"")]
            #expect(try await fhir.send(.post, "Patient", body: Self.patient(), headers: key).status == 201)
            let other = try await fhir.send(.post, "Patient", body: Self.patient(given: "Paul"), headers: key)
            #expect(other.status == 422)
            #expect(other.detail == .idempotencyKeyReused)
            #expect(other.issueCode == "business-rule")
            #expect(service.emails().count == 1)
            #expect(try await fhir.send(.get, "Patient").body?["total"] == .int(1))
        }
    }

    @Test func keysBelongToOneProfessional() async throws {
        try await Self.withService { (fhir, _) async throws in
            let key = [(WireHeader.idempotencyKey, "\"shared-key\"")]
            let a = try await fhir.send(.post, "Patient", as: "a", body: Self.patient(), headers: key)
            let b = try await fhir.send(.post, "Patient", as: "b", body: Self.patient(), headers: key)
            #expect(a.status == 201)
            #expect(b.status == 201)
            #expect(a.body?["id"] != b.body?["id"])
        }
    }

    @Test func withoutAKeyEachCreationIsANewCarnet() async throws {
        try await Self.withService { (fhir, service) async throws in
            #expect(try await fhir.send(.post, "Patient", body: Self.patient()).status == 201)
            #expect(try await fhir.send(.post, "Patient", body: Self.patient()).status == 201)
            #expect(service.emails().count == 2)
        }
    }

    @Test func aRefusedCreationDoesNotUseTheKey() async throws {
        try await Self.withService { (fhir, _) async throws in
            let key = [(WireHeader.idempotencyKey, "\"k-2\"")]
            guard case .object(var invalid) = Self.patient() else { throw TestFailure("not an object") }
            invalid["birthDate"] = nil
            #expect(try await fhir.send(.post, "Patient", body: .object(invalid), headers: key).status == 422)
            // The corrected request with the same key creates the carnet.
            #expect(try await fhir.send(.post, "Patient", body: Self.patient(), headers: key).status == 201)
        }
    }

    @Test func anUnreadableKeyIs400() async throws {
        try await Self.withService { (fhir, _) async throws in
            for bad in ["\"\"", String(repeating: "x", count: 256), "\"a b\""] {
                let answer = try await fhir.send(
                    .post, "Patient", body: Self.patient(), headers: [(WireHeader.idempotencyKey, bad)])
                #expect(answer.status == 400)
                #expect(answer.detail == .malformed)
            }
            // A bare token is accepted as well as the draft's quoted string.
            let bare = try await fhir.send(
                .post, "Patient", body: Self.patient(), headers: [(WireHeader.idempotencyKey, "bare-token")])
            #expect(bare.status == 201)
        }
    }

    @Test func keysSurviveAReopenOfTheDatabase() async throws {
        let service = try TestService()
        defer { service.remove() }
        let a = try service.professional("a")
        let first = try service.sandbox.records.createRecord(Self.patient(), by: .professional(a), creationKey: "k")
        // A second process on the same data directory (a restart) sees the key.
        let reopened = try Sandbox(
            dataDirectory: service.directory, log: EventLog(minimum: .error),
            vaccines: CatalogueLookup(nuvaDirectory: nil))
        let again = try reopened.records.createRecord(Self.patient(), by: .professional(a), creationKey: "k")
        #expect(first.status == 201)
        #expect(again.status == 200)
        #expect(again.id == first.id)
        #expect(service.emails().count == 1)
    }
}
