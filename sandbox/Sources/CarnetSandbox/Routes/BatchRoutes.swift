// `POST /fhir` with a `batch` Bundle: independent entries, each the same conditional create,
// update, delete or read as its single request, each with its own outcome, all in one database
// transaction (one commit, one fsync, for the whole bundle; an entry that fails is rolled back
// alone, to its savepoint). docs/protocol.md §5.7.

import CarnetWire
import Hummingbird

struct BatchRoutes: Sendable {
    let records: RecordService

    /// More entries than this is refused whole (413 too-costly): a client splits its work.
    static let maxEntries = 500

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        fhir.post(use: batch)
    }

    @Sendable func batch(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let bundle = try await RequestBody.json(request)
        guard bundle["resourceType"]?.stringValue == "Bundle" else {
            throw FHIRError.badRequest("POST to the base URL takes a Bundle", expression: "Bundle.resourceType")
        }
        guard bundle["type"]?.stringValue == "batch" else {
            throw FHIRError(
                status: 400, code: .notSupported, message: "only Bundle.type batch is supported (not transaction)",
                detail: .unsupportedParameter, expression: "Bundle.type")
        }
        let entries = bundle["entry"]?.arrayValue ?? []
        guard entries.count <= Self.maxEntries else {
            throw FHIRError(
                status: 413, code: .tooCostly, message: "at most \(Self.maxEntries) entries per batch",
                detail: .bodyTooLarge, expression: "Bundle.entry")
        }
        let base = RequestParameters.baseURL(request)
        let minimal = request.headers[.prefer]?.lowercased().contains("return=minimal") ?? false
        let actor = Actor.professional(professional)
        let memo = WriteMemo()
        let responses: [JSONValue] = try records.db.transaction {
            entries.map { entry in
                do {
                    // No savepoint of its own: each write (createImmunization, updateImmunization,
                    // deleteImmunization) already makes its changes in one nested transaction, a
                    // savepoint here, and reads only before it; a second savepoint around it cost
                    // two more statements per entry.
                    return try perform(entry, by: actor, base: base, minimal: minimal, memo: memo)
                } catch let error as FHIRError {
                    return Self.failed(error)
                } catch {
                    return Self.failed(FHIRError(status: 500, code: .exception, message: "internal error"))
                }
            }
        }
        return Reply.json(["resourceType": "Bundle", "type": "batch-response", "entry": .array(responses)])
    }

    /// One entry, as its single request would do it.
    private func perform(
        _ entry: JSONValue, by actor: Actor, base: String, minimal: Bool, memo: WriteMemo
    ) throws -> JSONValue {
        guard let method = entry["request"]?["method"]?.stringValue,
            let url = entry["request"]?["url"]?.stringValue
        else {
            throw FHIRError.badRequest("each entry needs request.method and request.url", expression: "Bundle.entry.request")
        }
        let path = url.hasPrefix(base + "/") ? String(url.dropFirst(base.count + 1)) : url
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "Immunization", parts.count <= 2 else {
            throw FHIRError(
                status: 400, code: .notSupported, message: "a batch entry acts on Immunization or Immunization/{id}",
                detail: .unsupportedParameter, expression: "Bundle.entry.request.url")
        }
        let id = parts.count == 2 ? parts[1] : nil
        let ifMatch = entry["request"]?["ifMatch"]?.stringValue
        switch (method, id) {
        case ("POST", nil):
            guard let resource = entry["resource"] else { throw FHIRError.required("Bundle.entry.resource") }
            let written = try records.createImmunization(
                resource, by: actor, ifNoneExist: entry["request"]?["ifNoneExist"]?.stringValue, memo: memo)
            return Self.succeeded(written, base: base, minimal: minimal)
        case ("PUT", let id?):
            guard let resource = entry["resource"] else { throw FHIRError.required("Bundle.entry.resource") }
            let written = try records.updateImmunization(id: id, resource, ifMatch: ifMatch, by: actor)
            return Self.succeeded(written, base: base, minimal: minimal)
        case ("DELETE", let id?):
            let version = try records.deleteImmunization(id: id, ifMatch: ifMatch, by: actor)
            return ["response": ["status": "204 No Content", "etag": .string(FHIR.etag(version))]]
        default:
            throw FHIRError(
                status: 400, code: .notSupported, message: "unsupported batch entry \(method) \(parts[0])",
                detail: .unsupportedParameter, expression: "Bundle.entry.request.method")
        }
    }

    static func succeeded(_ written: Written, base: String, minimal: Bool) -> JSONValue {
        var response: JSONObject = [
            "status": .string(written.status == 201 ? "201 Created" : "200 OK"),
            "etag": .string(FHIR.etag(written.version)),
            "location": .string("Immunization/\(written.id)/_history/\(written.version)"),
        ]
        if let lastUpdated = written.resource["meta"]?["lastUpdated"] { response["lastModified"] = lastUpdated }
        var entry: JSONObject = ["response": .object(response)]
        if !minimal {
            entry["fullUrl"] = .string("\(base)/Immunization/\(written.id)")
            entry["resource"] = written.resource
        }
        return .object(entry)
    }

    static func failed(_ error: FHIRError) -> JSONValue {
        ["response": ["status": .string(String(error.status)), "outcome": error.outcome]]
    }
}
