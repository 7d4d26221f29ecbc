// Certificates (EST, RFC 7030 style): enrollment with a withdrawal code on the open listener,
// re-enrollment with the current certificate on the FHIR listener, and what both serve openly:
// the CA certificate and the revocation list.

import CarnetWire
import Foundation
import Hummingbird
import X509

struct EnrollmentRoutes: Sendable {
    let professionals: ProfessionalService
    let throttle: Throttle
    let policy: WithdrawalPolicy

    /// The open listener: enrollment, CA certificate, CRL — nothing else.
    func addOpenRoutes(to router: Router<SandboxContext>) {
        router.post(RouterPath(WirePath.estSimpleEnroll), use: enroll)
        addPublicRoutes(to: router)
    }

    /// The FHIR listener: re-enrollment (authenticated by the client certificate), CA certificate, CRL.
    func addAuthenticatedRoutes(to router: Router<SandboxContext>) {
        router.post(RouterPath(WirePath.estSimpleReenroll), use: reenroll)
        addPublicRoutes(to: router)
    }

    private func addPublicRoutes(to router: Router<SandboxContext>) {
        router.get(RouterPath(WirePath.estCACertificates)) { _, _ in
            Reply.bytes(Array(professionals.ca.certificatePEM.utf8), contentType: WireMediaType.pemCertificateChain)
        }
        router.get(RouterPath(WirePath.revocationList)) { _, _ in
            Reply.bytes(try professionals.crl(), contentType: WireMediaType.pkixCRL)
        }
    }

    /// Withdrawal code as the HTTP Basic password + a PKCS#10 request → the certificate chain.
    /// Failed codes are counted per client address; past the limit the address waits.
    @Sendable func enroll(_ request: Request, context: SandboxContext) async throws -> Response {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        let key = "withdrawal:" + address
        if let wait = throttle.blocked(key, limit: policy.maxFailures, seconds: policy.windowSeconds) {
            throw FHIRError(
                status: 429, code: .throttled, message: "Trop d'essais de code de retrait : réessayez plus tard.",
                detail: .withdrawalCodeLocked, retryAfter: wait)
        }
        guard let code = Self.basicPassword(request.headers[.authorization]) else {
            throw FHIRError(
                status: 401, code: .login, message: "send the withdrawal code as the HTTP Basic password",
                detail: .withdrawalCodeMissing)
        }
        let csr = try await Self.certificateRequest(request)
        do {
            return chain(try professionals.enroll(code: code, csr: csr))
        } catch let error as FHIRError where error.detail?.isWithdrawalCodeFailure == true {
            _ = throttle.hit(key, limit: policy.maxFailures, seconds: policy.windowSeconds)
            throw error
        }
    }

    @Sendable func reenroll(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let csr = try await Self.certificateRequest(request)
        return chain(try professionals.reenroll(professional: professional, csr: csr))
    }

    private func chain(_ issued: IssuedCertificate) -> Response {
        Reply.bytes(
            Array((issued.pem + professionals.ca.certificatePEM).utf8), contentType: WireMediaType.pemCertificateChain)
    }

    static func basicPassword(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let password = String(text[text.index(after: colon)...])
        return password.isEmpty ? nil : password
    }

    static func certificateRequest(_ request: Request) async throws -> CertificateSigningRequest {
        let bytes = try await RequestBody.bytes(request)
        guard !bytes.isEmpty else {
            throw FHIRError.badRequest("send a PKCS#10 certificate request (PEM or base64 DER)")
        }
        do {
            return try CertificateAuthority.parseRequest(bytes)
        } catch let error as PKIError {
            throw FHIRError(status: 400, code: .invalid, message: error.description, detail: .invalidCSR)
        }
    }
}
