// Account tokens (RFC 8705 certificate-bound), in memory only: a restart forgets them, which
// their five-minute lifetime makes harmless.

import Foundation

struct BearerToken: Sendable {
    let professional: String
    let thumbprint: String
    let expiresMs: Int64
}

final class TokenStore: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [String: BearerToken] = [:]
    static let lifetimeSeconds = 300

    func issue(professional: String, thumbprint: String) -> (String, BearerToken) {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let token = Base64URL.encode(bytes)
        let value = BearerToken(
            professional: professional, thumbprint: thumbprint,
            expiresMs: Time.nowMs() + Int64(TokenStore.lifetimeSeconds) * 1000)
        lock.lock(); defer { lock.unlock() }
        let now = Time.nowMs()
        tokens = tokens.filter { $0.value.expiresMs > now }
        tokens[token] = value
        return (token, value)
    }

    func find(_ token: String) -> BearerToken? {
        lock.lock(); defer { lock.unlock() }
        guard let value = tokens[token], value.expiresMs > Time.nowMs() else { return nil }
        return value
    }
}
