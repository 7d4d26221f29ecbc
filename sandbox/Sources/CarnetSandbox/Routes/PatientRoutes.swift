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
        return Reply.resource(written, location: RequestParameters.baseURL(request), type: "Patient")
    }

    /// The records this professional can see, by id, keyset-paged with `_after`.
    @Sendable func search(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let count = try RequestParameters.count(request)
        let after = request.uri.queryParameters.get(WireQuery.after) ?? ""
        let (ids, total) = try records.searchPatients(professional: professional, after: after, count: count)
        let base = RequestParameters.baseURL(request)
        var entries: [JSONValue] = []
        for id in ids {
            let (resource, _) = try records.read(type: "Patient", id: id, professional: professional)
            entries.append([
                "fullUrl": .string("\(base)/Patient/\(id)"), "resource": resource, "search": ["mode": "match"],
            ])
        }
        let page = "\(base)/Patient?_count=\(count)"
        var links = [("self", page + (after.isEmpty ? "" : "&_after=\(after)"))]
        if ids.count == count, let last = ids.last { links.append(("next", page + "&_after=\(last)")) }
        return Reply.json(FHIR.bundle(type: "searchset", total: total, links: links, entries: entries))
    }
}
