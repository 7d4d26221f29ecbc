// Immunization: the vaccinations of a record. Conditional create (If-None-Exist), versioned update
// and delete (If-Match), search by patient.

import CarnetWire
import HTTPTypes
import Hummingbird

struct ImmunizationRoutes: Sendable {
    let records: RecordService

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        let reads = ResourceReads(records: records, type: "Immunization")
        fhir.post("Immunization", use: create)
        fhir.get("Immunization", use: search)
        fhir.get("Immunization/_history", use: reads.typeHistory)
        fhir.get("Immunization/:id", use: reads.read)
        fhir.put("Immunization/:id", use: update)
        fhir.delete("Immunization/:id", use: delete)
        fhir.get("Immunization/:id/_history", use: reads.instanceHistory)
        fhir.get("Immunization/:id/_history/:vid", use: reads.versionRead)
    }

    @Sendable func create(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let written = try records.createImmunization(
            try await RequestBody.json(request), by: .professional(professional),
            ifNoneExist: request.headers[.ifNoneExist])
        return Reply.resource(written, location: RequestParameters.baseURL(request), type: "Immunization")
    }

    @Sendable func update(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let written = try records.updateImmunization(
            id: try RequestParameters.id(context), try await RequestBody.json(request),
            ifMatch: request.headers[.ifMatch], by: .professional(professional))
        return Reply.resource(written, location: RequestParameters.baseURL(request), type: "Immunization")
    }

    @Sendable func delete(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let version = try records.deleteImmunization(
            id: try RequestParameters.id(context), ifMatch: request.headers[.ifMatch],
            by: .professional(professional))
        var headers = HTTPFields()
        headers[.eTag] = FHIR.etag(version)
        return Response(status: .noContent, headers: headers)
    }

    static let searchParameters: Set<String> = [
        WireQuery.patient, WireQuery.identifier, WireQuery.count, WireQuery.after,
    ]

    /// `Immunization?patient=` (required): the live vaccinations of one record, keyset-paged;
    /// `identifier=system|value` (or `value` alone) narrows it to the one with that identifier.
    @Sendable func search(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let query = request.uri.queryParameters
        for (name, _) in query where !Self.searchParameters.contains(String(name)) {
            throw FHIRError(
                status: 400, code: .notSupported, message: "unsupported search parameter \(name)",
                detail: .unsupportedParameter)
        }
        guard var patient = query.get(WireQuery.patient), !patient.isEmpty else {
            throw FHIRError.badRequest("the patient search parameter is required", expression: WireQuery.patient)
        }
        if patient.hasPrefix("Patient/") { patient.removeFirst("Patient/".count) }
        let count = try RequestParameters.count(request)
        let after = query.get(WireQuery.after) ?? ""
        var identifier: (system: String?, value: String)?
        if let token = query.get(WireQuery.identifier) {
            guard let parsed = RecordService.identifierToken(token) else {
                throw FHIRError.badRequest(
                    "identifier must be system|value or value", expression: WireQuery.identifier)
            }
            identifier = parsed
        }
        let (entries, total) = try records.searchImmunizations(
            record: patient, professional: professional, after: after,
            count: count, identifier: identifier)
        let base = RequestParameters.baseURL(request)
        let items: [JSONValue] = entries.compactMap { entry in
            guard let text = entry.resource, let resource = try? JSONValue.parse(Array(text.utf8)) else { return nil }
            return [
                "fullUrl": .string("\(base)/Immunization/\(entry.resourceID)"), "resource": resource,
                "search": ["mode": "match"],
            ]
        }
        var page = "\(base)/Immunization?patient=\(RequestParameters.queryEncoded(patient))&_count=\(count)"
        if let token = query.get(WireQuery.identifier) {
            page += "&identifier=" + RequestParameters.queryEncoded(token)
        }
        var links = [("self", page + (after.isEmpty ? "" : "&_after=\(after)"))]
        if entries.count == count, let last = entries.last {
            links.append(("next", page + "&_after=\(last.resourceID)"))
        }
        return Reply.json(FHIR.bundle(type: "searchset", total: total, links: links, entries: items))
    }
}
