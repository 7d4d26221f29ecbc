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
        fhir.post("Immunization/_search", use: search)
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
        return Reply.resource(written, type: "Immunization", request: request)
    }

    @Sendable func update(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let written = try records.updateImmunization(
            id: try RequestParameters.id(context), try await RequestBody.json(request),
            ifMatch: request.headers[.ifMatch], by: .professional(professional))
        return Reply.resource(written, type: "Immunization", request: request)
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

    static let searchParameters: Set<String> = [WireQuery.patient, WireQuery.identifier]

    /// `Immunization?patient=` (required): the live vaccinations of one record, keyset-paged;
    /// `identifier=system|value` (or `value` alone) narrows it to the one with that identifier.
    /// GET or POST `_search`.
    @Sendable func search(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let parameters = try await SearchParameters.from(request)
        try parameters.refuseUnsupported(Self.searchParameters)
        let page = try SearchPage(parameters)
        guard var patient = parameters.first(WireQuery.patient), !patient.isEmpty else {
            throw FHIRError.badRequest("the patient search parameter is required", expression: WireQuery.patient)
        }
        if patient.hasPrefix("Patient/") { patient.removeFirst("Patient/".count) }
        var identifier: (system: String?, value: String)?
        if let token = parameters.first(WireQuery.identifier) {
            guard let parsed = RecordService.identifierToken(token) else {
                throw FHIRError.badRequest(
                    "identifier must be system|value or value", expression: WireQuery.identifier)
            }
            identifier = parsed
        }
        let (entries, total) = try records.searchImmunizations(
            record: patient, professional: professional, after: page.after,
            count: page.limit, identifier: identifier)
        let base = RequestParameters.baseURL(request)
        let items: [JSONValue] = entries.compactMap { entry in
            guard let text = entry.resource, let resource = try? JSONValue.parse(Array(text.utf8)) else { return nil }
            return [
                "fullUrl": .string("\(base)/Immunization/\(entry.resourceID)"), "resource": resource,
                "search": ["mode": "match"],
            ]
        }
        return Reply.json(
            page.bundle(
                endpoint: "\(base)/Immunization", criteria: parameters.criteriaQuery, matches: total,
                lastID: entries.last?.resourceID, entries: items))
    }
}
