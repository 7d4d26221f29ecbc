// In-memory counters: request rate per client, withdrawal-code guessing, and bearer tokens.
// They live in the server process only; a restart forgets them (tokens are short-lived anyway).

import Foundation

final class Throttle: @unchecked Sendable {
    private let lock = NSLock()
    private var windows: [String: (start: Int64, count: Int)] = [:]

    /// Fixed window of `seconds`: nil when allowed, else the seconds until the window ends.
    func hit(_ key: String, limit: Int, seconds: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        let now = Time.nowMs()
        var window = windows[key] ?? (now, 0)
        if now - window.start >= Int64(seconds) * 1000 { window = (now, 0) }
        window.count += 1
        windows[key] = window
        if windows.count > 100_000 { windows = windows.filter { now - $0.value.start < 3_600_000 } }
        if window.count > limit { return Int((window.start + Int64(seconds) * 1000 - now) / 1000) + 1 }
        return nil
    }

    /// Seconds left if `key` has already reached `limit` in the current window (without counting).
    func blocked(_ key: String, limit: Int, seconds: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        let now = Time.nowMs()
        guard let window = windows[key], now - window.start < Int64(seconds) * 1000, window.count >= limit else { return nil }
        return Int((window.start + Int64(seconds) * 1000 - now) / 1000) + 1
    }
}

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
        let value = BearerToken(professional: professional, thumbprint: thumbprint,
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
