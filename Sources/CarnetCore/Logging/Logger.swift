/// Log levels, mirroring `carnet_log_level`.
public enum LogLevel: UInt32, Sendable, Comparable {
    case error = 1, warning = 2, info = 3, debug = 4

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Delivers log lines to the host's callback, if any, at or below its level.
///
/// Log lines are written for developers, in English, and never contain patient
/// data or secrets: callers pass only identifiers that are not personal (store
/// paths, HTTP statuses, counts) — see docs/security.md.
public struct Logger: Sendable {
    public typealias Sink = @Sendable (LogLevel, String) -> Void

    let maxLevel: LogLevel?
    let sink: Sink?

    public init(maxLevel: LogLevel?, sink: Sink?) {
        self.maxLevel = maxLevel
        self.sink = sink
    }

    public static let disabled = Logger(maxLevel: nil, sink: nil)

    public func isEnabled(_ level: LogLevel) -> Bool {
        guard let maxLevel, sink != nil else { return false }
        return level <= maxLevel
    }

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard isEnabled(level), let sink else { return }
        sink(level, message())
    }
}
