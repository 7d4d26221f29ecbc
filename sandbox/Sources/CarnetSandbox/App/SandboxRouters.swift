// The two routers of the service, route groups by resource. Built the same way by the server and by
// the handler tests, which drive them in-process (HummingbirdTesting's `.router` mode, no TLS)
// with their own `ClientCertificateSource`.

import CarnetWire
import Hummingbird

struct SandboxRouters {
    /// Mutual TLS listener: FHIR, account token, re-enrollment, CA certificate, CRL.
    let fhir: Router<SandboxContext>
    /// Open listener: enrollment with a withdrawal code, CA certificate, CRL.
    let enrollment: Router<SandboxContext>

    init(sandbox: Sandbox, options: ServerOptions, certificates: ClientCertificateSource) {
        let throttle = Throttle()
        let tokens = TokenStore()
        let records = sandbox.records
        let enrollmentRoutes = EnrollmentRoutes(
            professionals: sandbox.professionals, throttle: throttle,
            policy: options.withdrawalPolicy)

        fhir = Router(context: SandboxContext.self)
        fhir.add(middleware: OutcomeMiddleware(log: sandbox.log, listener: "fhir"))
        fhir.add(
            middleware: ClientCertificateMiddleware(
                store: sandbox.store, tokens: tokens, throttle: throttle,
                requestsPerMinute: options.requestsPerMinute,
                certificates: certificates))
        let api = fhir.group(RouterPath(WirePath.fhirBase))
        api.get(RouterPath(WirePath.metadata)) { _, _ in Reply.json(CapabilityStatement.resource) }
        PatientRoutes(records: records).addRoutes(to: api)
        ImmunizationRoutes(records: records).addRoutes(to: api)
        BatchRoutes(records: records).addRoutes(to: api)
        ChangesRoutes(records: records).addRoutes(to: api)
        ShareCodeRoutes(records: records, throttle: throttle, policy: options.shareCodePolicy).addRoutes(to: api)
        RecommendationRoutes(records: records).addRoutes(to: api)
        VaccineRoutes(vaccines: records.vaccines).addRoutes(to: api)
        TokenRoutes(professionals: sandbox.professionals, tokens: tokens, throttle: throttle).addRoutes(to: fhir)
        enrollmentRoutes.addAuthenticatedRoutes(to: fhir)

        enrollment = Router(context: SandboxContext.self)
        enrollment.add(middleware: OutcomeMiddleware(log: sandbox.log, listener: "enrollment"))
        enrollmentRoutes.addOpenRoutes(to: enrollment)
    }
}
