// On the FHIR listener: who is calling. The client certificate (already verified against the CA by
// TLS) maps to a professional; unknown or revoked certificates are refused, a bearer token is
// checked if sent, and the per-professional request rate is limited.

import Crypto
import Foundation
import Hummingbird
import NIOSSL

/// Where the middleware gets the DER bytes of the certificate the client presented. In the server
/// it is the TLS handshake's peer certificate; a test of the handlers, which runs without TLS,
/// supplies its own (a certificate the sandbox CA really issued, so the rest of the chain —
/// registration, revocation, token binding — is the production code).
struct ClientCertificateSource: Sendable {
    let certificateDER: @Sendable (Request, SandboxContext) async -> [UInt8]?

    static let tlsPeer = ClientCertificateSource { _, context in
        guard let certificate = try? await context.channel.nioSSL_peerCertificate().get() else { return nil }
        return try? certificate.toDERBytes()
    }
}

struct ClientCertificateMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let store: Store
    let tokens: TokenStore
    let throttle: Throttle
    let requestsPerMinute: Int
    let certificates: ClientCertificateSource

    func handle(
        _ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        guard let der = await certificates.certificateDER(request, context) else { throw FHIRError.certificateRequired }
        let thumbprint = Hex.encode(Array(SHA256.hash(data: der)))
        let professional = try registeredProfessional(thumbprint: thumbprint)
        if let authorization = request.headers[.authorization] {
            try checkBearerToken(authorization, thumbprint: thumbprint, professional: professional)
        }
        context.professionalID = professional
        context.thumbprint = thumbprint
        context.facts.professional = professional
        if let wait = throttle.hit("rate:" + professional, limit: requestsPerMinute, seconds: 60) {
            throw FHIRError(
                status: 429, code: .throttled, message: "too many requests", detail: .rateLimited,
                retryAfter: wait)
        }
        return try await next(request, context)
    }

    private func registeredProfessional(thumbprint: String) throws -> String {
        let sql = "SELECT professional_id, revoked_at, not_after FROM certificates WHERE thumbprint = ?"
        guard let row = try store.db.query(sql, [thumbprint]).first, let professional = row.string("professional_id")
        else {
            throw FHIRError(
                status: 401, code: .security, message: "this client certificate is not registered",
                detail: .certificateUnknown)
        }
        if row.int("revoked_at") != nil {
            throw FHIRError(
                status: 401, code: .security, message: "this client certificate has been revoked",
                detail: .certificateRevoked)
        }
        return professional
    }

    /// RFC 8705: a token is valid only with the certificate it was issued to.
    private func checkBearerToken(_ authorization: String, thumbprint: String, professional: String) throws {
        let value = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard authorization.lowercased().hasPrefix("bearer "), let token = tokens.find(value) else {
            throw FHIRError(
                status: 401, code: .login, message: "the bearer token is invalid or expired",
                detail: .tokenInvalid)
        }
        guard token.thumbprint == thumbprint, token.professional == professional else {
            throw FHIRError(
                status: 401, code: .security, message: "the bearer token is bound to another client certificate",
                detail: .tokenBindingMismatch)
        }
    }
}
