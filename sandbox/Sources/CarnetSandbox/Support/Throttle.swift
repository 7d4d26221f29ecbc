// In-memory fixed-window counters: request rate per professional, withdrawal-code and share-code
// guessing, token password failures. They live in the server process only; a restart forgets them.

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
        guard let window = windows[key], now - window.start < Int64(seconds) * 1000, window.count >= limit else {
            return nil
        }
        return Int((window.start + Int64(seconds) * 1000 - now) / 1000) + 1
    }
}
