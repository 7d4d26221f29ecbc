// Account tokens: RFC 6749 password grant over mutual TLS; the token is bound to the client
// certificate (RFC 8705) and short-lived.

import CarnetWire
import Foundation
import Hummingbird
import NIOPosix

struct TokenRoutes: Sendable {
    let professionals: ProfessionalService
    let tokens: TokenStore
    let throttle: Throttle

    /// Failed password attempts per professional in 15 minutes.
    static let maxFailures = 10
    static let failureWindowSeconds = 15 * 60

    func addRoutes(to router: Router<SandboxContext>) {
        router.post(RouterPath(WirePath.token), use: token)
    }

    /// OAuth errors are OAuth JSON (RFC 6749 §5.2), not OperationOutcomes.
    static func oauthError(_ code: String, _ description: String, status: Int = 400) -> Response {
        Reply.json(
            ["error": .string(code), "error_description": .string(description)], status: status,
            contentType: "application/json")
    }

    @Sendable func token(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        guard let thumbprint = context.thumbprint else { throw FHIRError.certificateRequired }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            return Self.oauthError("invalid_request", "send application/x-www-form-urlencoded")
        }
        let form = Self.form(String(decoding: try await RequestBody.bytes(request), as: UTF8.self))
        guard form["grant_type"] == "password" else {
            return Self.oauthError("unsupported_grant_type", "only grant_type=password is supported")
        }
        guard let email = form["username"], let password = form["password"] else {
            return Self.oauthError("invalid_request", "username and password are required")
        }
        let failures = "token-fail:" + professional
        if let wait = throttle.blocked(failures, limit: Self.maxFailures, seconds: Self.failureWindowSeconds) {
            var response = Self.oauthError("slow_down", "too many failed attempts", status: 429)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        // PBKDF2 (600,000 rounds) runs on NIO's blocking pool, not on a cooperative thread.
        let professionals = self.professionals
        let account = try await NIOThreadPool.singleton.runIfActive {
            try professionals.authenticate(email: email, password: password).map { $0.id }
        }
        guard let account, account == professional else {
            _ = throttle.hit(failures, limit: Self.maxFailures, seconds: Self.failureWindowSeconds)
            return Self.oauthError("invalid_grant", "wrong email or password for this certificate's account")
        }
        // The thumbprint is our own SHA-256 hex (ClientCertificateMiddleware): it always decodes.
        guard let digest = Hex.decode(thumbprint) else { throw FHIRError.internalError("bad certificate thumbprint") }
        let (token, value) = tokens.issue(professional: professional, thumbprint: thumbprint)
        let response: JSONValue = [
            "access_token": .string(token),
            "token_type": "Bearer",
            "expires_in": .int(Int((value.expiresMs - Time.nowMs()) / 1000)),
            "cnf": ["x5t#S256": .string(Base64URL.encode(digest))],
        ]
        return Reply.json(response, contentType: "application/json")
    }

    /// application/x-www-form-urlencoded → name → value ("+" is a space).
    static func form(_ body: String) -> [String: String] {
        let items = URLComponents(string: "x:?" + body.replacingOccurrences(of: "+", with: "%20"))?.queryItems ?? []
        var form: [String: String] = [:]
        for item in items { form[item.name] = item.value ?? "" }
        return form
    }
}
