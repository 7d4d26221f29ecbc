/// Retry delays: exponential from 2 s, capped at one hour, spread uniformly
/// over [raw/2, 3·raw/2] ("equal jitter") so that a practice's workstations do
/// not retry in lockstep — in whole seconds, the store's resolution, which is
/// why the spread is wide enough to matter even for the first retries (1–3 s).
/// A server's Retry-After wins when it asks for longer.
enum Backoff {
    static let base: Int64 = 2
    static let ceiling: Int64 = 3_600

    /// `unit` is a uniform random number in 0...65535 (a test passes its own).
    static func delay(attempts: Int64, retryAfter: Int64?, unit: Int64? = nil) -> Int64 {
        let exponent = min(max(attempts, 1), 21) - 1  // clamped first: no overflow for any input
        let raw = min(base << exponent, ceiling)
        var spread = raw / 2
        if let unit = unit.map({ min(max($0, 0), 65_535) }) ?? randomUnit() {
            spread = (raw + 1) * unit / 65_536  // 0...raw
        }
        return max(raw / 2 + spread, min(max(retryAfter ?? 0, 0), 86_400), 1)
    }

    private static func randomUnit() -> Int64? {
        guard let bytes = try? KeyProtection.randomBytes(2), bytes.count == 2 else { return nil }
        return Int64(bytes[0]) << 8 | Int64(bytes[1])
    }
}
