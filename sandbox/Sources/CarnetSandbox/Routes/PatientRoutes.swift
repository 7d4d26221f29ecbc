// Patient: a record (the patient's carnet) as the FHIR resource it is on the wire; a record's id
// is its Patient id. Professionals create (with an optional Idempotency-Key), read and search
// records; only the patient manages them.

import CarnetWire
import HTTPTypes
import Hummingbird

struct PatientRoutes: Sendable {
    let records: RecordService

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        let reads = ResourceReads(records: records, type: "Patient")
        fhir.post("Patient", use: create)
        fhir.get("Patient", use: search)
        fhir.post("Patient/_search", use: search)
        fhir.get("Patient/:id", use: reads.read)
        // The patient manages the record itself: professionals cannot update or delete it.
        for method in [HTTPRequest.Method.put, .delete, .patch] {
            fhir.on("Patient/:id", method: method) { _, _ -> Response in
                throw FHIRError.methodNotAllowed("a carnet cannot be updated or deleted by a professional")
            }
        }
        fhir.get("Patient/:id/_history", use: reads.instanceHistory)
        fhir.get("Patient/:id/_history/:vid", use: reads.versionRead)
    }

    @Sendable func create(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let key = try request.headers[.idempotencyKey].map(RecordService.parseCreationKey)
        let written = try records.createRecord(
            try await RequestBody.json(request), by: .professional(professional), creationKey: key)
        return Reply.resource(written, type: "Patient", request: request)
    }

    /// The records this professional can see, by id, keyset-paged with `_after`, narrowed by
    /// `_id`, `identifier`, `family`, `birthdate` (PatientCriteria.swift); GET or POST `_search`.
    @Sendable func search(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let parameters = try await SearchParameters.from(request)
        let criteria = try PatientCriteria(parameters)
        let page = try SearchPage(parameters)
        let (ids, total) = try records.searchPatients(
            professional: professional, criteria: criteria, after: page.after, count: page.limit)
        let base = RequestParameters.baseURL(request)
        var entries: [JSONValue] = []
        for id in ids {
            let (resource, _) = try records.read(type: "Patient", id: id, professional: professional)
            entries.append([
                "fullUrl": .string("\(base)/Patient/\(id)"), "resource": resource, "search": ["mode": "match"],
            ])
        }
        return Reply.json(
            page.bundle(
                endpoint: "\(base)/Patient", criteria: parameters.criteriaQuery, matches: total, lastID: ids.last,
                entries: entries))
    }
}
