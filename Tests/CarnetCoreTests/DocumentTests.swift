import CarnetCatalogue
import CarnetJSON
import Testing
@testable import CarnetCore

@Suite struct PatientDocumentTests {
    static let valid: JSONValue = [
        "resourceType": "Patient", "id": "ignored", "name": [["family": "Martin", "given": ["Jeanne"]]],
        "birthDate": "1950-04-02", "gender": "female", "telecom": [["system": "email", "value": "j@example.org"]],
    ]
    static let today = CivilDate("2026-12-02") ?? CivilDate.fromDayNumber(0)

    @Test func acceptsACompletePatientAndDropsServerFields() throws {
        let body = try PatientDocument.validatedForCreate(Self.valid, today: Self.today)
        #expect(body["id"] == nil)
        #expect(body["name"]?[0]?["family"] == "Martin")
    }

    @Test(arguments: [
        ("name", "name.family"), ("birthDate", "birthDate"), ("gender", "gender"), ("telecom", "telecom(email)"),
    ])
    func namesTheMissingField(removed: String, named: String) {
        var doc = Self.valid
        doc[removed] = nil
        do {
            _ = try PatientDocument.validatedForCreate(doc, today: Self.today)
            Issue.record("accepted without \(removed)")
        } catch {
            #expect(error.message == .missingPatientField(named))
        }
    }

    @Test func refusesBadDatesGendersAndTypes() {
        var future = Self.valid
        future["birthDate"] = "2999-01-01"
        #expect(throws: CarnetFailure.self) { try PatientDocument.validatedForCreate(future, today: Self.today) }
        var tomorrow = Self.valid
        tomorrow["birthDate"] = "2026-12-03"
        expectDateInFuture("birthDate") { () throws(CarnetFailure) in
            _ = try PatientDocument.validatedForCreate(tomorrow, today: Self.today)
        }
        var todayBirth = Self.valid
        todayBirth["birthDate"] = "2026-12-02"
        #expect(throws: Never.self) { try PatientDocument.validatedForCreate(todayBirth, today: Self.today) }
        var impossible = Self.valid
        impossible["birthDate"] = "2023-02-29"
        #expect(throws: CarnetFailure.self) { try PatientDocument.validatedForCreate(impossible, today: Self.today) }
        var gender = Self.valid
        gender["gender"] = "F"
        #expect(throws: CarnetFailure.self) { try PatientDocument.validatedForCreate(gender, today: Self.today) }
        var type = Self.valid
        type["resourceType"] = "Practitioner"
        #expect(throws: CarnetFailure.self) { try PatientDocument.validatedForCreate(type, today: Self.today) }
    }
}

/// `body` must refuse with the "date after today" message naming `field`.
func expectDateInFuture(_ field: String, _ body: () throws(CarnetFailure) -> Void) {
    do {
        try body()
        Issue.record("a \(field) after today was accepted")
    } catch {
        #expect(error.message == .dateInFuture(field))
    }
}

@Suite struct ImmunizationDocumentTests {
    static let valid: JSONValue = [
        "resourceType": "Immunization", "identifier": [["value": "ehr-1"]],
        "vaccineCode": ["coding": [["system": "https://smt.esante.gouv.fr/terminologie-bdpm", "code": "61921204"]]],
        "occurrenceDateTime": "2025-10-20T10:30:00+02:00",
    ]

    @Test func takesTheHostIDAndDefaultsTheStatus() throws {
        let (hostID, resource) = try ImmunizationDocument.validatedForAdd(Self.valid, today: PatientDocumentTests.today)
        #expect(hostID == "ehr-1")
        #expect(resource["status"] == "completed")
    }

    @Test(arguments: ["identifier", "vaccineCode", "occurrenceDateTime"])
    func refusesWhatIsMissing(field: String) {
        var doc = Self.valid
        doc[field] = nil
        #expect(throws: CarnetFailure.self) { try ImmunizationDocument.validatedForAdd(doc, today: PatientDocumentTests.today) }
    }

    @Test func refusesAVaccinationDatedAfterTodayInTheConfiguredDay() throws {
        var doc = Self.valid
        doc["occurrenceDateTime"] = "2026-12-03"
        expectDateInFuture("occurrenceDateTime") { () throws(CarnetFailure) in
            _ = try ImmunizationDocument.validatedForAdd(doc, today: PatientDocumentTests.today)
        }
        doc["occurrenceDateTime"] = "2026-12-02T23:30:00+04:00"
        _ = try ImmunizationDocument.validatedForAdd(doc, today: PatientDocumentTests.today)
    }

    @Test func refusesControlCharactersAndOverlongHostIDs() {
        #expect(throws: CarnetFailure.self) { try ImmunizationDocument.validatedHostID("a\u{7}b", argumentName: "x") }
        #expect(throws: CarnetFailure.self) {
            try ImmunizationDocument.validatedHostID(String(repeating: "x", count: 129), argumentName: "x")
        }
    }
}

@Suite struct ServiceFailureMappingTests {
    static func response(_ status: Int, detail: String? = nil, retryAfter: String? = nil) -> HTTPResponse {
        var body: [UInt8] = []
        if let detail {
            let outcome: JSONValue = [
                "resourceType": "OperationOutcome",
                "issue": [
                    [
                        "severity": "error", "code": "processing",
                        "details": ["coding": [["system": "x", "code": .string(detail)]], "text": "Jeanne Martin"],
                    ]
                ],
            ]
            body = Array(outcome.serialized().utf8)
        }
        var headers: [(name: String, value: String)] = []
        if let retryAfter { headers.append(("retry-after", retryAfter)) }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    @Test(arguments: [
        (403, "withdrawal-code-used", FailureKind.withdrawalCode),
        (403, "share-code-rejected", .accessDenied),
        (429, "share-code-locked", .locked),
        (403, "access-revoked", .accessDenied),
        (422, "date-in-future", .rejected),
        (422, "unknown-vaccine-code", .rejected),
        (412, "version-conflict", .conflict),
        (410, "deleted", .notFound),
        (401, "certificate-revoked", .credentials),
    ])
    func detailCodesWin(status: Int, detail: String, kind: FailureKind) {
        #expect(ServiceFailures.map(Self.response(status, detail: detail)).kind == kind)
    }

    @Test(arguments: [
        (401, FailureKind.credentials), (404, .notFound), (409, .conflict), (422, .rejected), (429, .locked),
        (500, .http), (503, .http), (302, .protocolViolation), (418, .http),
    ])
    func statusIsTheFallback(status: Int, kind: FailureKind) {
        #expect(ServiceFailures.map(Self.response(status)).kind == kind)
    }

    @Test func retryAfterIsBoundedAndTheServiceTextIsNeverShown() {
        let failure = ServiceFailures.map(Self.response(429, retryAfter: "99999999"))
        #expect(failure.retryAfterSeconds == 86_400)
        let rejected = ServiceFailures.map(Self.response(422, detail: "date-in-future"))
        #expect(!rejected.message.text(.french).contains("Jeanne"))
        #expect(ServiceFailures.map(Self.response(429, retryAfter: "-5")).retryAfterSeconds == 0)
    }

    @Test func malformedOutcomesFallBackToTheStatus() {
        let junk = HTTPResponse(status: 422, headers: [], body: Array("{\"resourceType\":".utf8))
        #expect(ServiceFailures.map(junk).kind == .rejected)
    }
}

@Suite struct RemoteChangeTests {
    @Test func readsCreatesUpdatesAndTombstones() throws {
        let created: JSONValue = [
            "request": ["method": "POST", "url": "Immunization"],
            "response": ["etag": "W/\"1\""],
            "resource": [
                "resourceType": "Immunization", "id": "abc", "meta": ["versionId": "1"],
                "patient": ["reference": "Patient/6F9619FF-8B86-D011-B42D-00C04FC964FF"],
            ],
        ]
        let change = try #require(RemoteChange(entry: created))
        #expect(change.immunizationID == "abc" && change.version == 1 && !change.deleted)
        #expect(change.recordID == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
        let deleted: JSONValue = [
            "request": ["method": "DELETE", "url": "Immunization/abc"],
            "response": ["etag": "W/\"3\""],
        ]
        let tombstone = try #require(RemoteChange(entry: deleted))
        #expect(tombstone.deleted && tombstone.version == 3 && tombstone.resource == nil)
        let patient: JSONValue = [
            "request": ["method": "PUT", "url": "Patient/x"],
            "resource": ["resourceType": "Patient", "id": "x"],
        ]
        #expect(RemoteChange(entry: patient) == nil)
        #expect(RemoteChange(entry: ["nothing": true]) == nil)
    }
}

@Suite struct KeyProtectionTests {
    @Test func sealsAndOpensAndRefusesTheWrongSecretOrCertificate() throws {
        let key = SecretBytes(Array("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n".utf8))
        let binding: [UInt8] = Array(repeating: 7, count: 32)
        let sealed = try KeyProtection.seal(key, secret: "s3cret", binding: binding)
        #expect(!sealed.containsSubsequence(Array("PRIVATE KEY".utf8)))
        #expect(try KeyProtection.open(sealed, secret: "s3cret", binding: binding).bytes == key.bytes)
        #expect(throws: CarnetFailure.self) { try KeyProtection.open(sealed, secret: "wrong", binding: binding) }
        #expect(throws: CarnetFailure.self) {
            try KeyProtection.open(sealed, secret: "s3cret", binding: Array(repeating: 8, count: 32))
        }
        var tampered = sealed
        tampered[tampered.count - 1] ^= 1
        #expect(throws: CarnetFailure.self) { try KeyProtection.open(tampered, secret: "s3cret", binding: binding) }
        // A store that claims an absurd work factor is refused before any work.
        var slow = sealed
        slow[5] = 0xFF
        #expect(throws: CarnetFailure.self) { try KeyProtection.open(slow, secret: "s3cret", binding: binding) }
        #expect(throws: CarnetFailure.self) { try KeyProtection.open([1, 2, 3], secret: "s3cret", binding: binding) }
    }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<$0 + needle.count]) == needle }
    }
}

@Suite struct URLAndPEMTests {
    @Test func encodesQueryComponents() {
        #expect(URLEncoding.component("urn:carnet:x|ehr 1/é") == "urn%3Acarnet%3Ax%7Cehr%201%2F%C3%A9")
    }

    @Test func splitsCertificateChains() {
        let one = "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n"
        let two = "-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n"
        let parts = PEM.certificates(in: Array(("junk\n" + one + two).utf8))
        #expect(parts.count == 2)
        #expect(String(decoding: parts[1], as: UTF8.self).contains("BBB"))
        #expect(PEM.certificates(in: Array("no pem".utf8)).isEmpty)
    }

    @Test func readsOnlySafePagingValues() {
        #expect(ServiceConnection.queryValue("https://h/fhir/Immunization?patient=x&_after=abc-1", "_after") == "abc-1")
        #expect(ServiceConnection.queryValue("https://evil/x?_after=a%20b", "_after") == nil)
        #expect(ServiceConnection.queryValue("https://h/x", "_after") == nil)
    }
}

@Suite struct BackoffTests {
    @Test func growsCapsSpreadsAndHonoursRetryAfter() {
        let first = (0..<400).map { _ in Backoff.delay(attempts: 1, retryAfter: nil) }
        #expect(first.allSatisfy { (1...3).contains($0) })
        #expect(Set(first).count >= 2, "first retries are spread, not in lockstep")
        let tenth = (0..<200).map { _ in Backoff.delay(attempts: 10, retryAfter: nil) }
        #expect(tenth.allSatisfy { (512...1_536).contains($0) })
        let late = (0..<200).map { _ in Backoff.delay(attempts: 1_000_000, retryAfter: nil) }
        #expect(late.allSatisfy { (1_800...5_400).contains($0) })
        #expect(Backoff.delay(attempts: 1, retryAfter: 120) == 120)
        #expect(Backoff.delay(attempts: .max, retryAfter: nil) <= 5_400)
        #expect(Backoff.delay(attempts: .min, retryAfter: nil) >= 1)
    }
}
