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

import Logging

/// swift-log handler for the libraries (Hummingbird, ServiceLifecycle): the same JSON lines.
struct JSONLogHandler: LogHandler {
    let label: String
    let sink: EventLog
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let mapped: EventLog.Level
        switch event.level {
        case .trace, .debug: mapped = .debug
        case .info, .notice: mapped = .info
        case .warning: mapped = .warning
        case .error, .critical: mapped = .error
        }
        var fields: [(String, JSONValue)] = [
            ("label", .string(label)), ("message", .string(event.message.description)),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            if let value = merged[key] { fields.append((key, .string(value.description))) }
        }
        sink.log(mapped, "library", fields)
    }
}
