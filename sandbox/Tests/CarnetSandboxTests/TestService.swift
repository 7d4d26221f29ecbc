// A sandbox in a temporary directory, its routers driven in-process, and professionals whose
// certificates the sandbox CA really issued. The test names the caller with a header that only
// the test's ClientCertificateSource reads; everything after (registration, revocation, rate
// limit, access rules) is the production code.

import CarnetWire
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwiftASN1
import X509

@testable import CarnetSandbox

struct TestService {
    static let identityHeader = HTTPField.Name("X-Test-Identity") ?? .via

    let directory: String
    let sandbox: Sandbox
    let certificates: CertificateBook

    /// A fresh data directory; `requestsPerMinute` to reach the rate limit in a test.
    init(requestsPerMinute: Int = 10_000) throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("carnet-sandbox-tests-\(UUID().uuidString)").path
        sandbox = try Sandbox(
            dataDirectory: directory, log: EventLog(minimum: .error),
            vaccines: CatalogueLookup(nuvaDirectory: nil))
        certificates = CertificateBook()
        options.requestsPerMinute = requestsPerMinute
    }

    var options = ServerOptions()

    /// A professional account with an enrolled certificate, known to the test as `name`.
    func professional(_ name: String) throws -> String {
        let created = try sandbox.professionals.createProfessional(
            email: "\(name)@example.org", password: "correct horse battery", name: "Dr \(name)", rpps: "10001234567")
        let key = P256.Signing.PrivateKey()
        let csr = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName { CommonName(name) }, privateKey: Certificate.PrivateKey(key),
            attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
        let issued = try sandbox.professionals.enroll(code: created.withdrawalCode, csr: csr)
        var serializer = DER.Serializer()
        try serializer.serialize(issued.certificate)
        certificates.add(name, der: serializer.serializedBytes)
        return created.id
    }

    /// Runs `body` against the FHIR router.
    func withClient(_ body: @Sendable (FHIRClient) async throws -> Void) async throws {
        let book = certificates
        let source = ClientCertificateSource { request, _ in
            request.headers[TestService.identityHeader].flatMap { book.der($0) }
        }
        let routers = SandboxRouters(sandbox: sandbox, options: options, certificates: source)
        let app = Application(router: routers.fhir)
        try await app.test(.router) { client in try await body(FHIRClient(client: client)) }
    }

    /// A care team of the professionals known to the test as `names` (created with `professional`).
    func team(_ name: String, members names: [String]) throws -> Team {
        let team = try sandbox.store.createTeam(name: name)
        for member in names {
            guard let professional = try sandbox.store.professional(email: "\(member)@example.org") else {
                throw TestFailure("no professional \(member)")
            }
            try sandbox.store.addMember(team: team, professional: professional.id)
        }
        return team
    }

    /// The .eml files of the outbox.
    func emails() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sandbox.paths.outbox)) ?? []).filter {
            $0.hasSuffix(".eml")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Name → DER of the certificates the tests present.
final class CertificateBook: @unchecked Sendable {
    private let lock = NSLock()
    private var ders: [String: [UInt8]] = [:]
    func add(_ name: String, der: [UInt8]) { lock.withLock { ders[name] = der } }
    func der(_ name: String) -> [UInt8]? { lock.withLock { ders[name] } }
}

/// A FHIR answer: status, headers, parsed body.
struct Answer {
    let status: Int
    let headers: HTTPFields
    let body: JSONValue?
    /// The body exactly as sent (for "byte-identical" checks).
    var bytes: [UInt8] = []

    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
    var detail: OutcomeDetail? { body.flatMap(OperationOutcome.detail(of:)) }
    var issueCode: String? { body?["issue"]?[0]?["code"]?.stringValue }
}

struct FHIRClient {
    let client: any TestClientProtocol

    func send(
        _ method: HTTPRequest.Method, _ path: String, as identity: String? = "a", body: JSONValue? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> Answer {
        var headers = HTTPFields()
        if let identity { headers[TestService.identityHeader] = identity }
        if body != nil { headers[.contentType] = WireMediaType.fhirJSON }
        for (name, value) in extra { if let field = HTTPField.Name(name) { headers[field] = value } }
        let uri = path.hasPrefix("/") ? path : WirePath.fhirBase + "/" + path
        let buffer = body.map { ByteBuffer(string: $0.serialized()) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let bytes = Array(response.body.readableBytesView)
            return Answer(
                status: Int(response.status.code), headers: response.headers,
                body: bytes.isEmpty ? nil : try JSONValue.parse(bytes), bytes: bytes)
        }
    }

    /// Creates a record for a patient born in 2012; returns its id.
    func createRecord(as identity: String = "a", email: String = "famille@example.org") async throws -> String {
        let patient: JSONValue = [
            "resourceType": "Patient",
            "name": [["family": "Durand", "given": ["Ambroise"]]],
            "birthDate": "2012-01-09", "gender": "male",
            "telecom": [["system": "email", "value": .string(email)]],
        ]
        let answer = try await send(.post, "Patient", as: identity, body: patient)
        guard answer.status == 201, let id = answer.body?["id"]?.stringValue else {
            throw TestFailure("Patient create answered \(answer.status)")
        }
        return id
    }

    /// An Immunization of HEXYON (CIS 60645557, in the built-in catalogue) for `record`.
    static func immunization(record: String, hostID: String, date: String = "2013-03-01") -> JSONValue {
        [
            "resourceType": "Immunization", "status": "completed",
            "vaccineCode": ["coding": [["system": .string(CodeSystem.cis), "code": "60645557"]]],
            "patient": ["reference": .string("Patient/" + record)],
            "occurrenceDateTime": .string(date),
            "identifier": [["system": "urn:test:host", "value": .string(hostID)]],
        ]
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
