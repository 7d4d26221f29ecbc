// Recommendations for a record: Patient/{id}/$immds-forecast, shaped like HL7 ImmDS.

import CarnetWire
import Hummingbird

struct RecommendationRoutes: Sendable {
    let records: RecordService

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        let path = RouterPath("Patient/:id/" + WireOperation.immdsForecast.pathSegment)
        fhir.get(path, use: forecast)
        fhir.post(path, use: forecast)
    }

    @Sendable func forecast(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let id = try RequestParameters.id(context)
        let (patient, _) = try records.read(type: "Patient", id: id, professional: professional)
        let (history, _) = try records.searchImmunizations(
            record: id, professional: professional, after: "", count: 10_000)
        let immunizations = history.compactMap { $0.resource.flatMap { try? JSONValue.parse(Array($0.utf8)) } }
        return Reply.json(
            records.vaccines.forecast(
                patient: patient, immunizations: immunizations,
                assessmentDate: Time.latestToday()))
    }
}
