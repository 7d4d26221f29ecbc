// The handlers' FHIR behaviour the library relies on (docs/protocol.md, docs/sync.md).

import CarnetWire
import Testing

@testable import CarnetSandbox

@Suite struct HandlerTests {
    /// One service per test, with professionals "a" and "b".
    static func withService(
        requestsPerMinute: Int = 10_000, _ body: @Sendable (FHIRClient) async throws -> Void
    ) async throws {
        let service = try TestService(requestsPerMinute: requestsPerMinute)
        defer { service.remove() }
        _ = try service.professional("a")
        _ = try service.professional("b")
        try await service.withClient(body)
    }

    @Test func conditionalCreateIs201ThenTheSameResourceWith200() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            let body = FHIRClient.immunization(record: record, hostID: "v1")
            let condition = [(WireHeader.ifNoneExist, "identifier=urn:test:host|v1")]
            let first = try await fhir.send(.post, "Immunization", body: body, headers: condition)
            #expect(first.status == 201)
            #expect(first.header("ETag") == "W/\"1\"")
            #expect(first.header("Location")?.hasSuffix("/_history/1") == true)
            let again = try await fhir.send(.post, "Immunization", body: body, headers: condition)
            #expect(again.status == 200)
            #expect(again.body?["id"] == first.body?["id"])
            // Without the condition, the same identifier is a conflict, not a second copy.
            let duplicate = try await fhir.send(.post, "Immunization", body: body)
            #expect(duplicate.status == 409)
            #expect(duplicate.detail == .duplicateIdentifier)
        }
    }

    @Test func updateWithAStaleIfMatchIs412() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            let created = try await fhir.send(
                .post, "Immunization", body: FHIRClient.immunization(record: record, hostID: "v1"))
            guard let id = created.body?["id"]?.stringValue, case .object(var resource)? = created.body else {
                throw TestFailure("no Immunization created")
            }
            resource["lotNumber"] = "LOT-2"
            let updated = try await fhir.send(
                .put, "Immunization/" + id, body: .object(resource),
                headers: [(WireHeader.ifMatch, "W/\"1\"")])
            #expect(updated.status == 200)
            #expect(updated.header("ETag") == "W/\"2\"")
            let stale = try await fhir.send(
                .put, "Immunization/" + id, body: .object(resource),
                headers: [(WireHeader.ifMatch, "W/\"1\"")])
            #expect(stale.status == 412)
            #expect(stale.detail == .versionConflict)
            #expect(stale.body?["resourceType"] == "OperationOutcome")
        }
    }

    @Test func aDeletedImmunizationIs410AndItsHistoryKeepsTheDeletion() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            let created = try await fhir.send(
                .post, "Immunization", body: FHIRClient.immunization(record: record, hostID: "v1"))
            let id = try #require(created.body?["id"]?.stringValue)
            let deleted = try await fhir.send(.delete, "Immunization/" + id)
            #expect(deleted.status == 204)
            #expect(deleted.header("ETag") == "W/\"2\"")
            let read = try await fhir.send(.get, "Immunization/" + id)
            #expect(read.status == 410)
            #expect(read.detail == .deleted)
            let history = try await fhir.send(.get, "Immunization/\(id)/_history")
            let methods = history.body?["entry"]?.arrayValue?.compactMap { $0["request"]?["method"]?.stringValue }
            #expect(methods == ["DELETE", "POST"])
            // Deleting again is a no-op, not an error: a retried delete must succeed.
            #expect(try await fhir.send(.delete, "Immunization/" + id).status == 204)
        }
    }

    @Test func searchPagesWithANextLinkUntilTheLastPage() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            for host in ["v1", "v2", "v3"] {
                _ = try await fhir.send(
                    .post, "Immunization", body: FHIRClient.immunization(record: record, hostID: host))
            }
            let first = try await fhir.send(.get, "Immunization?patient=\(record)&_count=2")
            #expect(first.status == 200)
            #expect(first.body?["total"] == 3)
            #expect(first.body?["entry"]?.arrayValue?.count == 2)
            let links = first.body?["link"]?.arrayValue ?? []
            let next = try #require(links.first { $0["relation"] == "next" }?["url"]?.stringValue)
            let path = try #require(next.range(of: "/fhir/").map { String(next[$0.lowerBound...]) })
            let second = try await fhir.send(.get, path)
            #expect(second.body?["entry"]?.arrayValue?.count == 1)
            #expect(second.body?["link"]?.arrayValue?.contains { $0["relation"] == "next" } == false)
            let ids = (first.body?["entry"]?.arrayValue ?? []) + (second.body?["entry"]?.arrayValue ?? [])
            #expect(Set(ids.compactMap { $0["resource"]?["id"]?.stringValue }).count == 3)
        }
    }

    @Test func theChangesFeedCarriesTombstonesAndACursor() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            let created = try await fhir.send(
                .post, "Immunization", body: FHIRClient.immunization(record: record, hostID: "v1"))
            let id = try #require(created.body?["id"]?.stringValue)
            _ = try await fhir.send(.delete, "Immunization/" + id)
            let feed = try await fhir.send(.get, WirePath.changes + "?_cursor=0&_count=100")
            #expect(feed.status == 200)
            let entries = feed.body?["entry"]?.arrayValue ?? []
            #expect(entries.compactMap { $0["request"]?["method"]?.stringValue } == ["POST", "POST", "DELETE"])
            let tombstone = try #require(entries.last)
            #expect(tombstone["resource"] == nil)
            #expect(tombstone["request"]?["url"]?.stringValue == "Immunization/" + id)
            let cursor = try #require(feed.header(WireHeader.cursor))
            let after = try await fhir.send(.get, WirePath.changes + "?_cursor=\(cursor)&_count=100")
            #expect(after.body?["entry"] == nil)
            #expect(after.header(WireHeader.cursor) == cursor)
            // Another professional sees none of it.
            let other = try await fhir.send(.get, WirePath.changes + "?_cursor=0", as: "b")
            #expect(other.body?["entry"] == nil)
        }
    }

    @Test func anotherProfessionalsRecordIsNotFound() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            let mine = try await fhir.send(.get, "Patient/" + record)
            #expect(mine.status == 200)
            let theirs = try await fhir.send(.get, "Patient/" + record, as: "b")
            let missing = try await fhir.send(.get, "Patient/00000000-0000-0000-0000-000000000000", as: "b")
            #expect(theirs.status == 404 && missing.status == 404)
            #expect(theirs.body == missing.body)
        }
    }

    @Test func anUnsupportedSearchParameterIsRefused() async throws {
        try await Self.withService { fhir in
            let record = try await fhir.createRecord()
            let answer = try await fhir.send(.get, "Immunization?patient=\(record)&vaccine-code=x")
            #expect(answer.status == 400)
            #expect(answer.detail == .unsupportedParameter)
            #expect(answer.issueCode == "not-supported")
        }
    }

    @Test func errorsAreOperationOutcomesAndTheRequestIDIsEchoed() async throws {
        try await Self.withService { fhir in
            let anonymous = try await fhir.send(.get, "metadata", as: nil)
            #expect(anonymous.status == 401)
            #expect(anonymous.detail == .certificateRequired)
            let unknown = try await fhir.send(.get, "Nothing/here", headers: [(WireHeader.requestID, "req-42")])
            #expect(unknown.status == 404)
            #expect(unknown.detail == .unknownEndpoint)
            #expect(unknown.header(WireHeader.requestID) == "req-42")
            let patch = try await fhir.send(.delete, "Patient/x")
            #expect(patch.status == 405)
            #expect(patch.detail == .methodNotAllowed)
            let invalid = try await fhir.send(.post, "Immunization", body: ["resourceType": "Immunization"])
            #expect(invalid.status == 422)
            #expect(invalid.detail == .missingElement)
        }
    }

    @Test func beyondTheRateLimitTheAnswerIs429WithRetryAfter() async throws {
        try await Self.withService(requestsPerMinute: 3) { fhir in
            for _ in 0..<3 { #expect(try await fhir.send(.get, "metadata").status == 200) }
            let limited = try await fhir.send(.get, "metadata")
            #expect(limited.status == 429)
            #expect(limited.detail == .rateLimited)
            let wait = try #require(limited.header(WireHeader.retryAfter).flatMap { Int($0) })
            #expect(wait >= 1 && wait <= 60)
            // The limit is per professional.
            #expect(try await fhir.send(.get, "metadata", as: "b").status == 200)
        }
    }

    @Test func aWrongShareCodeIsRejectedWithOneShape() async throws {
        try await Self.withService { fhir in
            let lookup = try await fhir.send(
                .post, WirePath.shareCodeLookup,
                body: ShareCodeParameters.lookupRequest(code: "AAAA-AAAA-AA"))
            #expect(lookup.status == 403)
            #expect(lookup.detail == .shareCodeRejected)
            let claim = try await fhir.send(
                .post, WirePath.recordClaim,
                body: ShareCodeParameters.claimRequest(
                    code: "AAAA-AAAA-AA", candidate: "x", birthDate: "2012-01-09"))
            #expect(claim.status == 403)
            #expect(claim.body == lookup.body)
        }
    }

    @Test func theCapabilityStatementListsTheRenamedOperations() async throws {
        try await Self.withService { fhir in
            let metadata = try await fhir.send(.get, WirePath.metadata)
            let rest = metadata.body?["rest"]?[0]
            let names = (rest?["operation"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(names.contains(WireOperation.recordClaim.rawValue))
            let patient = rest?["resource"]?.arrayValue?.first { $0["type"] == "Patient" }
            let patientOperations = (patient?["operation"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(patientOperations.contains(WireOperation.shareCodeResend.rawValue))
        }
    }
}
