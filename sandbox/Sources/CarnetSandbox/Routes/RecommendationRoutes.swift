// Recommendations for a record: Patient/{id}/$immds-forecast, shaped like HL7 ImmDS. GET forecasts
// for today (the service's time zone); POST takes Parameters: `assessmentDate` and the person's
// context (docs/protocol.md), the very inputs the library's own engine uses offline.

import CarnetCatalogue
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
        var forecastRequest = ForecastRequest()
        if request.method == .post, request.headers[.contentLength] != "0" {
            let body = try await RequestBody.json(request)
            do {
                forecastRequest = try ForecastRequest.fromParameters(body)
            } catch {
                throw FHIRError(
                    status: 400, code: .invalid, message: "invalid forecast parameter", detail: .unsupportedParameter,
                    expression: error.field)
            }
        }
        let (patient, _) = try records.read(type: "Patient", id: id, professional: professional)
        let (history, _) = try records.searchImmunizations(
            record: id, professional: professional, after: "", count: 10_000)
        let immunizations = history.compactMap { $0.resource.flatMap { try? JSONValue.parse(Array($0.utf8)) } }
        if forecastRequest.assessmentDate == nil { forecastRequest.assessmentDate = Time.today() }
        return Reply.json(
            records.vaccines.forecast(patient: patient, immunizations: immunizations, request: forecastRequest))
    }
}
