/// Every failure CarnetCore reports: what kind of failure (which becomes the C
/// `carnet_status`), where it comes from, a domain number, and a message for the
/// doctor. Built once where the failure happens; mapped to C once, in
/// CarnetABI/ErrorReporting.swift.
public struct CarnetFailure: Error, Sendable, Equatable {
    public var kind: FailureKind
    public var domain: FailureDomain
    /// SQLite extended code, CURLcode, HTTP status... per `domain`; 0 when none.
    public var code: Int32
    public var message: UserMessage

    public init(_ kind: FailureKind, domain: FailureDomain, code: Int32 = 0, message: UserMessage) {
        self.kind = kind
        self.domain = domain
        self.code = code
        self.message = message
    }

    public static func invalidArgument(_ message: UserMessage) -> CarnetFailure {
        CarnetFailure(.invalidArgument, domain: .validation, message: message)
    }

    public static func storage(code: Int32, _ message: UserMessage = .storageFailed) -> CarnetFailure {
        CarnetFailure(.storage, domain: .storage, code: code, message: message)
    }

    public static func `internal`(_ what: String) -> CarnetFailure {
        CarnetFailure(.internalError, domain: .internalError, message: .internalError(what))
    }
}

/// Mirrors `carnet_status` (include/carnet.h) one to one; raw values are the C values.
public enum FailureKind: UInt32, Sendable {
    case pending = 1
    case invalidArgument = 2
    case notFound = 3
    case storage = 4
    case network = 5
    case tls = 6
    case http = 7
    case credentials = 8
    case accessDenied = 9
    case locked = 10
    case conflict = 11
    case cancelled = 12
    case timeout = 13
    case unsupportedVersion = 14
    case outOfMemory = 15
    case protocolViolation = 16
    case certificateExpired = 17
    case internalError = 18
}

/// Mirrors `carnet_error_domain`.
public enum FailureDomain: UInt32, Sendable {
    case validation = 1
    case storage = 2
    case network = 3
    case tls = 4
    case http = 5
    case credentials = 6
    case internalError = 7
}
