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
    /// Seconds the service asked to wait before retrying (HTTP Retry-After).
    public var retryAfterSeconds: Int64?

    public init(
        _ kind: FailureKind, domain: FailureDomain, code: Int32 = 0, message: UserMessage,
        retryAfterSeconds: Int64? = nil
    ) {
        self.kind = kind
        self.domain = domain
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The input at fault (see `UserMessage.field`), for the failures that are
    /// about one input the host passed: an invalid argument, an options version
    /// this library does not know, a record the service refused for one element.
    /// nil for every other failure, even when its message mentions an option
    /// (a TLS failure naming `ca_bundle_path` is about the file's contents, not
    /// about the argument).
    public var field: String? {
        switch kind {
        case .invalidArgument, .unsupportedVersion, .rejected: return message.field
        default: return nil
        }
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
    case withdrawalCode = 19
    case pkcs12Password = 20
    case pkcs12Unsupported = 21
    case identitySecret = 22
    case noCertificate = 23
    case rejected = 24

    /// Whether trying the same thing again later may succeed (network,
    /// service trouble, throttling), as opposed to a fault that needs a person.
    public var isTransient: Bool {
        switch self {
        case .network, .timeout, .http, .cancelled, .locked: return true
        default: return false
        }
    }
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

extension FailureKind {
    /// The C constant's name, as `carnet_status_string` gives it.
    public var cName: String {
        switch self {
        case .pending: return "CARNET_PENDING"
        case .invalidArgument: return "CARNET_E_INVALID_ARGUMENT"
        case .notFound: return "CARNET_E_NOT_FOUND"
        case .storage: return "CARNET_E_STORAGE"
        case .network: return "CARNET_E_NETWORK"
        case .tls: return "CARNET_E_TLS"
        case .http: return "CARNET_E_HTTP"
        case .credentials: return "CARNET_E_CREDENTIALS"
        case .accessDenied: return "CARNET_E_ACCESS_DENIED"
        case .locked: return "CARNET_E_LOCKED"
        case .conflict: return "CARNET_E_CONFLICT"
        case .cancelled: return "CARNET_E_CANCELLED"
        case .timeout: return "CARNET_E_TIMEOUT"
        case .unsupportedVersion: return "CARNET_E_UNSUPPORTED_VERSION"
        case .outOfMemory: return "CARNET_E_OUT_OF_MEMORY"
        case .protocolViolation: return "CARNET_E_PROTOCOL"
        case .certificateExpired: return "CARNET_E_CERTIFICATE_EXPIRED"
        case .internalError: return "CARNET_E_INTERNAL"
        case .withdrawalCode: return "CARNET_E_WITHDRAWAL_CODE"
        case .pkcs12Password: return "CARNET_E_PKCS12_PASSWORD"
        case .pkcs12Unsupported: return "CARNET_E_PKCS12_UNSUPPORTED"
        case .identitySecret: return "CARNET_E_IDENTITY_SECRET"
        case .noCertificate: return "CARNET_E_NO_CERTIFICATE"
        case .rejected: return "CARNET_E_REJECTED"
        }
    }
}
