public import CCarnet
internal import CarnetCore

private let knownOptionsVersions: ClosedRange<UInt32> = 1...UInt32(CARNET_OPTIONS_VERSION)

@c @implementation
public func carnet_options_init(
    _ options: UnsafeMutablePointer<carnet_options>?, _ version: UInt32
) -> carnet_status {
    guard let options else { return CARNET_E_INVALID_ARGUMENT }
    guard knownOptionsVersions.contains(version), let size = OptionsReader.size(of: version) else {
        return CARNET_E_UNSUPPORTED_VERSION
    }
    var defaults = carnet_options(
        version: version, service_url: nil, enrollment_url: nil, store_directory: nil, account_email: nil,
        account_password: nil, ca_bundle_path: nil, crl_path: nil, pinned_public_key: nil, identity_secret: nil,
        connect_timeout_ms: 0, request_timeout_ms: 0, locale: CARNET_LOCALE_FR,
        log_callback: nil, log_payload: nil, log_level: CARNET_LOG_WARNING, practice_id: nil, time_zone: nil)
    // Only the declared version's fields: a host built with an older header allocated less.
    withUnsafeBytes(of: &defaults) { source in
        UnsafeMutableRawPointer(options).copyMemory(
            from: source.baseAddress ?? UnsafeRawPointer(options),
            byteCount: min(size, source.count))
    }
    return CARNET_OK
}

/// The host's log callback and payload. The payload is the host's pointer,
/// passed back untouched; the host promises the callback is thread-safe
/// (carnet.h), which is what makes this wrapper Sendable.
struct HostLogSink: @unchecked Sendable {
    let callback: carnet_log_callback
    let payload: UnsafeMutableRawPointer?

    func deliver(_ level: LogLevel, _ message: String) {
        let cLevel = carnet_log_level(rawValue: level.rawValue)
        message.withCString { callback(payload, cLevel, $0) }
    }
}

enum OptionsReader {
    /// Bytes of `carnet_options` in each version: a version only appends fields, so a version's
    /// structure is a prefix of the latest one.
    static func size(of version: UInt32) -> Int? {
        switch version {
        case 1: return MemoryLayout<carnet_options>.offset(of: \carnet_options.practice_id)
        case 2: return MemoryLayout<carnet_options>.offset(of: \carnet_options.time_zone)
        case 3: return MemoryLayout<carnet_options>.size
        default: return nil
        }
    }

    /// The host's options as the latest structure: the fields of the version it declares, copied
    /// (never read past what that version allocated), the later ones at their defaults (zero, NULL).
    static func declared(_ options: UnsafePointer<carnet_options>) -> carnet_options? {
        let version = UnsafeRawPointer(options).loadUnaligned(as: UInt32.self)
        guard knownOptionsVersions.contains(version), let size = size(of: version) else { return nil }
        var copy = carnet_options()
        withUnsafeMutableBytes(of: &copy) { target in
            guard let base = target.baseAddress else { return }
            base.copyMemory(from: UnsafeRawPointer(options), byteCount: min(size, target.count))
        }
        return copy
    }

    /// The locale the host asked for, readable even from options that fail
    /// validation, so that errors about the options are in the right language.
    static func locale(_ options: UnsafePointer<carnet_options>?) -> UserMessage.Locale {
        guard let options, let o = declared(options) else { return .french }
        return o.locale == CARNET_LOCALE_EN ? .english : .french
    }

    /// Validates and copies the host's options.
    static func configuration(_ options: UnsafePointer<carnet_options>?) throws(CarnetFailure) -> ClientConfiguration {
        guard let options else { throw .invalidArgument(.missingArgument("options")) }
        guard let o = declared(options) else {
            let version = UnsafeRawPointer(options).loadUnaligned(as: UInt32.self)
            throw CarnetFailure(
                .unsupportedVersion, domain: .validation, message: .unsupportedOptionsVersion(version))
        }
        let locale: UserMessage.Locale
        switch o.locale {
        case CARNET_LOCALE_FR: locale = .french
        case CARNET_LOCALE_EN: locale = .english
        default: throw .invalidArgument(.invalidField("locale", reason: .unknownValue))
        }
        let maxLevel: LogLevel?
        switch o.log_level {
        case CARNET_LOG_OFF: maxLevel = nil
        default:
            guard let level = LogLevel(rawValue: o.log_level.rawValue) else {
                throw .invalidArgument(.invalidField("log_level", reason: .unknownValue))
            }
            maxLevel = level
        }
        let logger: Logger
        if let callback = o.log_callback, let maxLevel {
            let sink = HostLogSink(callback: callback, payload: o.log_payload)
            logger = Logger(maxLevel: maxLevel) { level, message in sink.deliver(level, message) }
        } else {
            logger = .disabled
        }
        let pathLimit = 4096
        return try ClientConfiguration(
            serviceURL: Arguments.optionalString(o.service_url, name: "service_url", maxBytes: 2048),
            enrollmentURL: Arguments.optionalString(o.enrollment_url, name: "enrollment_url", maxBytes: 2048),
            storeDirectory: Arguments.requiredString(o.store_directory, name: "store_directory", maxBytes: pathLimit),
            accountEmail: Arguments.optionalString(o.account_email, name: "account_email", maxBytes: 320),
            caBundlePath: Arguments.optionalString(o.ca_bundle_path, name: "ca_bundle_path", maxBytes: pathLimit),
            crlPath: Arguments.optionalString(o.crl_path, name: "crl_path", maxBytes: pathLimit),
            pinnedPublicKey: Arguments.optionalString(o.pinned_public_key, name: "pinned_public_key", maxBytes: 4096),
            identitySecret: Arguments.optionalString(o.identity_secret, name: "identity_secret", maxBytes: 1024),
            connectTimeoutMilliseconds: o.connect_timeout_ms,
            requestTimeoutMilliseconds: o.request_timeout_ms,
            locale: locale,
            logger: logger,
            practiceID: Arguments.optionalString(o.practice_id, name: "practice_id", maxBytes: 64),
            timeZone: Arguments.optionalString(o.time_zone, name: "time_zone", maxBytes: 64))
    }
}
