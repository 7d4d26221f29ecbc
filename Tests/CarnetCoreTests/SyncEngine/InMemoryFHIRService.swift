import CarnetJSON
@testable import CarnetCore
import Synchronization

/// An in-memory FHIR service with the semantics the sync engine relies on (docs/protocol.md),
/// for the engine's unit tests: conditional create on the identifier (201, then 200 with the
/// existing one), versions and ETags, If-Match (412), DELETE then 410, searchset paging, the
/// changes feed with tombstones and a cursor, Retry-After, and 4xx refusals as OperationOutcome.
/// Faults are queued per request; `onRequest` lets a test act while a request is "in flight".
///
/// It is a fake at the engine's edge, next to the real end-to-end suites (Tests/python) that run
/// the real sandbox over mutual TLS.
final class InMemoryFHIRService: FHIRService, @unchecked Sendable {
    struct Stored {
        var resource: JSONValue
        var version: Int64
        var deleted: Bool
    }

    /// What a queued fault does to the next request it matches.
    enum Fault {
        /// The connection fails before the request reaches the service.
        case networkBeforeActing
        /// The service acts, then the answer is lost.
        case answerLost
        /// An HTTP error answer, optionally with Retry-After, without acting.
        case status(Int, retryAfter: Int64?, detail: String?)
        /// The service acts, then sends a cut JSON body with a 200/201.
        case malformedAnswer
    }

    struct Recorded: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let query: [(String, String)]
        let headers: [(String, String)]
    }

    private struct State {
        var resources: [String: Stored] = [:]
        var order: [String] = []
        /// The changes feed: every version of every resource, in the order changes happened (like
        /// carnet-sandbox, the feed replays a resource's earlier versions, not only its latest).
        var history: [(seq: Int64, id: String, version: Stored)] = []
        var nextID = 1
        var nextSeq: Int64 = 1
        var faults: [(matches: @Sendable (FHIRRequest) -> Bool, fault: Fault)] = []
        var requests: [Recorded] = []
        var revoked: Set<String> = []
        var goneCarnets: Set<String> = []
    }

    private let state = Mutex(State())
    /// Runs before each request is handled (outside the service's lock): a test's chance to act
    /// while the engine waits for the answer.
    nonisolated(unsafe) var onRequest: ((FHIRRequest) -> Void)?
    /// Whether a conditional create that matched, answered minimally, says where the resource is
    /// (`Content-Location`, as carnet-sandbox does); FHIR requires nothing there.
    var matchSaysWhere = false
    /// Occurrence dates after this day are refused (422 date-in-future), like the real service.
    var today = "2026-12-01"

    // MARK: test controls

    func fail(_ fault: Fault, when matches: @escaping @Sendable (FHIRRequest) -> Bool = { _ in true }) {
        state.withLock { $0.faults.append((matches, fault)) }
    }

    func revokeAccess(carnet: String) { state.withLock { _ = $0.revoked.insert(carnet) } }
    func deleteCarnet(_ carnet: String) { state.withLock { _ = $0.goneCarnets.insert(carnet) } }

    var requests: [Recorded] { state.withLock { $0.requests } }
    func requests(_ method: HTTPRequest.Method, _ prefix: String = "") -> Int {
        requests.filter { $0.method == method && $0.path.hasPrefix(prefix) }.count
    }

    /// Live (not deleted) Immunizations, in creation order.
    var immunizations: [JSONValue] {
        state.withLock { s in s.order.compactMap { s.resources[$0] }.filter { !$0.deleted }.map(\.resource) }
    }

    /// Another professional records a vaccination on a carnet.
    @discardableResult
    func recordElsewhere(carnet: String, code: String = "3400936570183", date: String = "2026-10-01") -> String {
        let resource: JSONValue = [
            "resourceType": "Immunization", "status": "completed",
            "vaccineCode": [
                "coding": [["system": "https://smt.esante.gouv.fr/terminologie-bdpm", "code": .string(code)]]
            ],
            "patient": ["reference": .string("Patient/" + carnet)], "occurrenceDateTime": .string(date),
        ]
        return state.withLock { s in InMemoryFHIRService.create(resource, in: &s).id }
    }

    /// Another professional edits an Immunization (the service's version moves up).
    func editElsewhere(_ id: String, _ change: (inout JSONValue) -> Void) {
        state.withLock { s in
            guard var stored = s.resources[id], !stored.deleted else { return }
            change(&stored.resource)
            stored.version += 1
            stored.resource["meta"] = ["versionId": .string(String(stored.version))]
            s.resources[id] = stored
            InMemoryFHIRService.logChange(id, in: &s)
        }
    }

    /// Another professional (or the citizen) deletes an Immunization.
    func deleteElsewhere(_ id: String) {
        state.withLock { s in _ = InMemoryFHIRService.delete(id, in: &s) }
    }

    /// Connections the service offers the pipeline (`lane`): 1 by default; more, and the same
    /// service (thread-safe) answers on each.
    nonisolated(unsafe) var lanes = 1

    // MARK: FHIRService

    func lane(_ lane: Int) -> (any FHIRService)? { lane >= 1 && lane < lanes ? self : nil }

    func send(_ request: FHIRRequest, token: Cancellation.Token) throws(CarnetFailure) -> HTTPResponse {
        try token.check()
        onRequest?(request)
        let fault: Fault? = state.withLock { s in
            s.requests.append(
                Recorded(
                    method: request.method, path: request.path, query: request.query,
                    headers: request.headers))
            guard let index = s.faults.firstIndex(where: { $0.matches(request) }) else { return nil }
            return s.faults.remove(at: index).fault
        }
        switch fault {
        case .networkBeforeActing?:
            throw CarnetFailure(.network, domain: .network, code: 7, message: .networkUnreachable)
        case .status(let status, let retryAfter, let detail)?:
            var response = InMemoryFHIRService.outcome(status, detail ?? "unavailable")
            if let retryAfter { response.headers.append((name: "retry-after", value: String(retryAfter))) }
            return response
        case .answerLost?:
            _ = state.withLock { s in handle(request, &s) }
            throw CarnetFailure(.network, domain: .network, code: 56, message: .networkUnreachable)
        case .malformedAnswer?:
            let acted = state.withLock { s in handle(request, &s) }
            return HTTPResponse(
                status: acted.status, headers: [(name: "content-type", value: "application/fhir+json")],
                body: Array(#"{"resourceType": "Immunization", "id": "#.utf8))
        case nil:
            return state.withLock { s in handle(request, &s) }
        }
    }

    // MARK: semantics

    private func handle(_ request: FHIRRequest, _ s: inout State) -> HTTPResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (request.method, segments.count, segments.first) {
        case (.post, 1, "Immunization"?): return create(request, &s)
        case (.get, 1, "Immunization"?): return search(request, &s)
        case (.get, 1, "$changes"?): return changes(request, &s)
        case (.get, 2, "Immunization"?): return read(segments[1], &s)
        case (.put, 2, "Immunization"?): return update(segments[1], request, &s)
        case (.delete, 2, "Immunization"?):
            if let carnet = InMemoryFHIRService.carnet(of: s.resources[segments[1]]?.resource),
                s.revoked.contains(carnet)
            {
                return InMemoryFHIRService.outcome(403, "access-revoked")
            }
            return InMemoryFHIRService.delete(segments[1], in: &s)
        default: return InMemoryFHIRService.outcome(404, "not-found")
        }
    }

    private func create(_ request: FHIRRequest, _ s: inout State) -> HTTPResponse {
        guard let resource = request.body, resource["resourceType"] == "Immunization" else {
            return InMemoryFHIRService.outcome(422, "missing-element")
        }
        guard let carnet = InMemoryFHIRService.carnet(of: resource) else {
            return InMemoryFHIRService.outcome(422, "missing-element")
        }
        if s.goneCarnets.contains(carnet) { return InMemoryFHIRService.outcome(410, "deleted") }
        if s.revoked.contains(carnet) { return InMemoryFHIRService.outcome(403, "access-revoked") }
        if let date = resource["occurrenceDateTime"]?.stringValue, String(date.prefix(10)) > today {
            return InMemoryFHIRService.outcome(422, "date-in-future")
        }
        let minimal = request.headers.contains { $0.0 == "Prefer" && $0.1.contains("return=minimal") }
        if let condition = request.headers.first(where: { $0.0 == "If-None-Exist" })?.1 {
            let token = InMemoryFHIRService.percentDecoded(String(condition.dropFirst("identifier=".count)))
            let matches = s.order.filter { id in
                guard let stored = s.resources[id], !stored.deleted else { return false }
                return (stored.resource["identifier"]?.arrayValue ?? []).contains { identifier in
                    (identifier["system"]?.stringValue ?? "") + "|" + (identifier["value"]?.stringValue ?? "") == token
                }
            }
            if matches.count > 1 { return InMemoryFHIRService.outcome(412, "multiple-matches") }
            if let id = matches.first, let stored = s.resources[id] {
                guard minimal else { return InMemoryFHIRService.resource(200, stored) }
                var answer = InMemoryFHIRService.minimal(200, stored, location: nil)
                if matchSaysWhere {
                    let url = "https://service.test/fhir/Immunization/\(id)/_history/\(stored.version)"
                    answer.headers.append((name: "content-location", value: url))
                }
                return answer
            }
        }
        let created = InMemoryFHIRService.create(resource, in: &s)
        guard minimal else { return InMemoryFHIRService.resource(201, created.stored) }
        return InMemoryFHIRService.minimal(
            201, created.stored, location: "https://service.test/fhir/Immunization/\(created.id)/_history/1")
    }

    /// `Prefer: return=minimal`: no body, the version in ETag, where it lives in Location.
    static func minimal(_ status: Int, _ stored: Stored, location: String?) -> HTTPResponse {
        var headers: [(name: String, value: String)] = [(name: "etag", value: "W/\"\(stored.version)\"")]
        if let location { headers.append((name: "location", value: location)) }
        return HTTPResponse(status: status, headers: headers, body: [])
    }

    private static func create(_ resource: JSONValue, in s: inout State) -> (id: String, stored: Stored) {
        let id = "imm-" + String(s.nextID)
        s.nextID += 1
        var resource = resource
        resource["id"] = .string(id)
        resource["meta"] = ["versionId": "1"]
        let stored = Stored(resource: resource, version: 1, deleted: false)
        s.resources[id] = stored
        s.order.append(id)
        logChange(id, in: &s)
        return (id, stored)
    }

    private static func delete(_ id: String, in s: inout State) -> HTTPResponse {
        guard var stored = s.resources[id] else { return outcome(404, "not-found") }
        if stored.deleted { return outcome(410, "deleted") }
        stored.deleted = true
        stored.version += 1
        s.resources[id] = stored
        logChange(id, in: &s)
        return HTTPResponse(status: 204, headers: [], body: [])
    }

    private func read(_ id: String, _ s: inout State) -> HTTPResponse {
        guard let stored = s.resources[id] else { return InMemoryFHIRService.outcome(404, "not-found") }
        if stored.deleted { return InMemoryFHIRService.outcome(410, "deleted") }
        return InMemoryFHIRService.resource(200, stored)
    }

    private func update(_ id: String, _ request: FHIRRequest, _ s: inout State) -> HTTPResponse {
        guard var stored = s.resources[id] else { return InMemoryFHIRService.outcome(404, "not-found") }
        if stored.deleted { return InMemoryFHIRService.outcome(410, "deleted") }
        if let match = request.headers.first(where: { $0.0 == "If-Match" })?.1, match != "W/\"\(stored.version)\"" {
            return InMemoryFHIRService.outcome(412, "version-conflict")
        }
        guard var resource = request.body else { return InMemoryFHIRService.outcome(422, "missing-element") }
        stored.version += 1
        resource["id"] = .string(id)
        resource["meta"] = ["versionId": .string(String(stored.version))]
        stored.resource = resource
        s.resources[id] = stored
        InMemoryFHIRService.logChange(id, in: &s)
        return InMemoryFHIRService.resource(200, stored)
    }

    private func search(_ request: FHIRRequest, _ s: inout State) -> HTTPResponse {
        let patient = request.query.first { $0.0 == "patient" }?.1 ?? ""
        let count = Int(request.query.first { $0.0 == "_count" }?.1 ?? "") ?? 100
        let after = request.query.first { $0.0 == "_after" }?.1
        let identifier = request.query.first { $0.0 == "identifier" }?.1
        var ids = s.order.filter { id in
            guard let stored = s.resources[id], !stored.deleted else { return false }
            if let identifier {
                let tokens = (stored.resource["identifier"]?.arrayValue ?? []).map {
                    ($0["system"]?.stringValue ?? "") + "|" + ($0["value"]?.stringValue ?? "")
                }
                guard tokens.contains(identifier) else { return false }
            }
            return InMemoryFHIRService.carnet(of: stored.resource) == patient
        }
        if let after, let index = ids.firstIndex(of: after) { ids = Array(ids[(index + 1)...]) }
        let page = Array(ids.prefix(max(1, count)))
        var bundle: JSONValue = [
            "resourceType": "Bundle", "type": "searchset",
            "entry": .array(
                page.compactMap { id in
                    s.resources[id].map { ["fullUrl": .string("Immunization/" + id), "resource": $0.resource] }
                }),
        ]
        if ids.count > page.count, let last = page.last {
            bundle["link"] = [["relation": "next", "url": .string("https://x/Immunization?_after=" + last)]]
        }
        return InMemoryFHIRService.json(200, bundle)
    }

    private func changes(_ request: FHIRRequest, _ s: inout State) -> HTTPResponse {
        let cursor = Int64(request.query.first { $0.0 == "_cursor" }?.1 ?? "") ?? 0
        let count = Int(request.query.first { $0.0 == "_count" }?.1 ?? "") ?? 100
        let after = s.history.filter { $0.seq > cursor }
        let page = Array(after.prefix(max(1, count)))
        let entries: [JSONValue] = page.map { change in
            let stored = change.version
            var entry: JSONValue = [
                "request": ["method": stored.deleted ? "DELETE" : "PUT", "url": .string("Immunization/" + change.id)],
                "response": ["etag": .string("W/\"\(stored.version)\"")],
            ]
            if !stored.deleted { entry["resource"] = stored.resource }
            return entry
        }
        let next = page.last?.seq ?? cursor
        var bundle: JSONValue = ["resourceType": "Bundle", "type": "history", "entry": .array(entries)]
        if after.count > page.count {
            bundle["link"] = [["relation": "next", "url": .string("https://x/$changes?_cursor=\(next)")]]
        }
        var response = InMemoryFHIRService.json(200, bundle)
        response.headers.append((name: "x-carnet-cursor", value: String(next)))
        return response
    }

    // MARK: helpers

    /// Every change is one more feed entry, at a new, ever-growing seq, with the resource as of then.
    private static func logChange(_ id: String, in s: inout State) {
        guard let stored = s.resources[id] else { return }
        s.history.append((s.nextSeq, id, stored))
        s.nextSeq += 1
    }

    static func carnet(of resource: JSONValue?) -> String? {
        guard let reference = resource?["patient"]?["reference"]?.stringValue, reference.hasPrefix("Patient/") else {
            return nil
        }
        return String(reference.dropFirst("Patient/".count))
    }

    static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [(name: "content-type", value: "application/fhir+json")],
            body: Array(value.serialized().utf8))
    }

    static func resource(_ status: Int, _ stored: Stored) -> HTTPResponse {
        var response = json(status, stored.resource)
        response.headers.append((name: "etag", value: "W/\"\(stored.version)\""))
        return response
    }

    static func outcome(_ status: Int, _ code: String) -> HTTPResponse {
        json(
            status,
            [
                "resourceType": "OperationOutcome",
                "issue": [
                    ["severity": "error", "code": "processing", "details": ["coding": [["code": .string(code)]]]]
                ],
            ])
    }

    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
