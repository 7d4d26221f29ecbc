// Structured logging: one JSON object per line on standard error.
// Never log patient data (names, birth dates, emails, INS, share codes) or secrets: only opaque
// ids, routes, statuses and durations.

import Foundation

final class EventLog: @unchecked Sendable {
    enum Level: Int, Comparable, Sendable {
        case debug = 0, info, warning, error
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warning", "error"][rawValue] }
    }

    let minimum: Level
    private let lock = NSLock()

    init(minimum: Level) { self.minimum = minimum }

    func log(_ level: Level, _ event: String, _ fields: [(String, JSONValue)] = []) {
        guard level >= minimum else { return }
        var object = JSONObject()
        object["ts"] = .string(Time.instant(ms: Time.nowMs()))
        object["level"] = .string(level.name)
        object["event"] = .string(event)
        for (key, value) in fields { object[key] = value }
        let line = JSONValue.object(object).serialized() + "\n"
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data(line.utf8))
    }
}
