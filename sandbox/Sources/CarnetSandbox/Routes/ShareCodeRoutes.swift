// Share codes ("codes de partage"): look up the records a code opens, claim one with the holder's
// birth date, resend the code to the patient. Names follow the C API: carnet_share_code_lookup,
// carnet_record_claim, carnet_share_code_resend.

import CarnetWire
import Hummingbird

struct ShareCodeRoutes: Sendable {
    let records: RecordService
    let throttle: Throttle
    let policy: ShareCodePolicy

    /// Failed share-code attempts a professional may make in 15 minutes, whatever the codes.
    static let maxFailuresPerProfessional = 30
    static let failureWindowSeconds = 15 * 60

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        fhir.post(RouterPath(WirePath.shareCodeLookup), use: lookup)
        fhir.post(RouterPath(WirePath.recordClaim), use: claim)
        fhir.post(RouterPath("Patient/:id/" + WireOperation.shareCodeResend.pathSegment), use: resend)
    }

    @Sendable func lookup(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let parameters = try await Self.parameters(request)
        guard let code = parameters[ShareCodeParameters.code] else { throw Self.missing(ShareCodeParameters.code) }
        try checkProfessionalLock(professional)
        do {
            let candidates = try records.lookupShareCode(code, policy: policy)
            return Reply.json(ShareCodeParameters.lookupAnswer(candidates))
        } catch {
            countFailure(professional, error)
            throw error
        }
    }

    @Sendable func claim(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let parameters = try await Self.parameters(request)
        guard let code = parameters[ShareCodeParameters.code] else { throw Self.missing(ShareCodeParameters.code) }
        guard let candidate = parameters[ShareCodeParameters.candidate] else {
            throw Self.missing(ShareCodeParameters.candidate)
        }
        guard let birthDate = parameters[ShareCodeParameters.birthDate] else {
            throw Self.missing(ShareCodeParameters.birthDate)
        }
        try checkProfessionalLock(professional)
        do {
            let record = try records.claimRecord(
                code: code, candidate: candidate, birthDate: birthDate,
                professional: professional, policy: policy)
            let (resource, version) = try records.read(type: "Patient", id: record, professional: professional)
            return Reply.read(
                resource, version: version, location: "\(RequestParameters.baseURL(request))/Patient/\(record)")
        } catch {
            countFailure(professional, error)
            throw error
        }
    }

    @Sendable func resend(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        try records.resendShareCode(
            record: try RequestParameters.id(context), professional: professional, policy: policy)
        return Reply.json(
            OperationOutcome.make(
                severity: .information, code: .informational,
                message: "Le code de partage a été renvoyé au patient.",
                detail: .shareCodeResent))
    }

    /// The body as a Parameters resource (name → text).
    static func parameters(_ request: Request) async throws -> [String: String] {
        guard let parameters = Parameters.texts(of: try await RequestBody.json(request)) else {
            throw FHIRError.badRequest("the body must be a Parameters resource", expression: "Parameters")
        }
        return parameters
    }

    static func missing(_ name: String) -> FHIRError {
        FHIRError.required("Parameters.parameter.where(name='\(name)')")
    }

    /// Beyond the per-code lockout, a professional trying many codes is stopped too.
    private func checkProfessionalLock(_ professional: String) throws {
        if let wait = throttle.blocked(
            "share-fail:" + professional, limit: Self.maxFailuresPerProfessional,
            seconds: Self.failureWindowSeconds)
        {
            throw FHIRError(
                status: 429, code: .throttled, message: "too many failed share-code attempts",
                detail: .rateLimited, retryAfter: wait)
        }
    }

    private func countFailure(_ professional: String, _ error: any Error) {
        if let error = error as? FHIRError, error.detail == .shareCodeRejected {
            _ = throttle.hit(
                "share-fail:" + professional, limit: Self.maxFailuresPerProfessional,
                seconds: Self.failureWindowSeconds)
        }
    }
}
