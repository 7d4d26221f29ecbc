public import CCarnet
internal import CarnetCore

/// The one place where Swift failures become C results: the status table
/// (`FailureKind` ↔ `carnet_status` ↔ name), the domain, and the host's
/// `carnet_error`, written only as far as the host says it allocated it.
enum ErrorReporting {
    /// One status of carnet.h: its value, the core's failure kind (nil for
    /// CARNET_OK, which is no failure) and its name for carnet_status_string().
    struct StatusEntry: Sendable {
        let status: carnet_status
        let kind: FailureKind?
        let name: StaticString

        init(_ status: carnet_status, _ kind: FailureKind?, _ name: StaticString) {
            self.status = status
            self.kind = kind
            self.name = name
        }
    }

    /// Every status of carnet.h, in header order. The names are the ones the
    /// core writes in JSON documents (`FailureKind.cName`, which cannot see the
    /// C header): CarnetCoreTests and test_error_struct.py check both against
    /// the header, so the three never drift apart.
    static let statuses: [StatusEntry] = [
        StatusEntry(CARNET_OK, nil, "CARNET_OK"),
        StatusEntry(CARNET_PENDING, .pending, "CARNET_PENDING"),
        StatusEntry(CARNET_E_INVALID_ARGUMENT, .invalidArgument, "CARNET_E_INVALID_ARGUMENT"),
        StatusEntry(CARNET_E_NOT_FOUND, .notFound, "CARNET_E_NOT_FOUND"),
        StatusEntry(CARNET_E_STORAGE, .storage, "CARNET_E_STORAGE"),
        StatusEntry(CARNET_E_NETWORK, .network, "CARNET_E_NETWORK"),
        StatusEntry(CARNET_E_TLS, .tls, "CARNET_E_TLS"),
        StatusEntry(CARNET_E_HTTP, .http, "CARNET_E_HTTP"),
        StatusEntry(CARNET_E_CREDENTIALS, .credentials, "CARNET_E_CREDENTIALS"),
        StatusEntry(CARNET_E_ACCESS_DENIED, .accessDenied, "CARNET_E_ACCESS_DENIED"),
        StatusEntry(CARNET_E_LOCKED, .locked, "CARNET_E_LOCKED"),
        StatusEntry(CARNET_E_CONFLICT, .conflict, "CARNET_E_CONFLICT"),
        StatusEntry(CARNET_E_CANCELLED, .cancelled, "CARNET_E_CANCELLED"),
        StatusEntry(CARNET_E_TIMEOUT, .timeout, "CARNET_E_TIMEOUT"),
        StatusEntry(CARNET_E_UNSUPPORTED_VERSION, .unsupportedVersion, "CARNET_E_UNSUPPORTED_VERSION"),
        StatusEntry(CARNET_E_OUT_OF_MEMORY, .outOfMemory, "CARNET_E_OUT_OF_MEMORY"),
        StatusEntry(CARNET_E_PROTOCOL, .protocolViolation, "CARNET_E_PROTOCOL"),
        StatusEntry(CARNET_E_CERTIFICATE_EXPIRED, .certificateExpired, "CARNET_E_CERTIFICATE_EXPIRED"),
        StatusEntry(CARNET_E_INTERNAL, .internalError, "CARNET_E_INTERNAL"),
        StatusEntry(CARNET_E_WITHDRAWAL_CODE, .withdrawalCode, "CARNET_E_WITHDRAWAL_CODE"),
        StatusEntry(CARNET_E_PKCS12_PASSWORD, .pkcs12Password, "CARNET_E_PKCS12_PASSWORD"),
        StatusEntry(CARNET_E_PKCS12_UNSUPPORTED, .pkcs12Unsupported, "CARNET_E_PKCS12_UNSUPPORTED"),
        StatusEntry(CARNET_E_IDENTITY_SECRET, .identitySecret, "CARNET_E_IDENTITY_SECRET"),
        StatusEntry(CARNET_E_NO_CERTIFICATE, .noCertificate, "CARNET_E_NO_CERTIFICATE"),
        StatusEntry(CARNET_E_REJECTED, .rejected, "CARNET_E_REJECTED"),
    ]

    static func status(_ kind: FailureKind) -> carnet_status {
        // A kind missing from the table would be a bug of this file; it must
        // still reach the host as a failure, never as CARNET_OK.
        statuses.first { $0.kind == kind }?.status ?? CARNET_E_INTERNAL
    }

    static func name(_ status: carnet_status) -> StaticString {
        statuses.first { $0.status == status }?.name ?? "CARNET_E_UNKNOWN"
    }

    static func domain(_ domain: FailureDomain) -> carnet_error_domain {
        switch domain {
        case .validation: return CARNET_DOMAIN_VALIDATION
        case .storage: return CARNET_DOMAIN_STORAGE
        case .network: return CARNET_DOMAIN_NETWORK
        case .tls: return CARNET_DOMAIN_TLS
        case .http: return CARNET_DOMAIN_HTTP
        case .credentials: return CARNET_DOMAIN_CREDENTIALS
        case .internalError: return CARNET_DOMAIN_INTERNAL
        }
    }

    /// Resets the host's error to "no error".
    static func clear(_ error: UnsafeMutablePointer<carnet_error>?) {
        guard let target = HostError(error) else { return }
        target.fill(status: CARNET_OK, domain: CARNET_DOMAIN_NONE, code: 0, message: "", field: "")
    }

    /// Fills the host's error (if any) and returns the status to give back.
    static func report(
        _ failure: CarnetFailure, locale: UserMessage.Locale, into error: UnsafeMutablePointer<carnet_error>?
    ) -> carnet_status {
        let result = status(failure.kind)
        guard let target = HostError(error) else { return result }
        target.fill(
            status: result, domain: domain(failure.domain), code: failure.code,
            message: failure.message.text(locale), field: failure.field ?? "")
        return result
    }

    /// Runs the body of a C entry point: success clears the error, a failure
    /// is reported. The body can only throw `CarnetFailure` (typed throws), so
    /// nothing escapes unmapped.
    static func boundary(
        locale: UserMessage.Locale = .french,
        _ error: UnsafeMutablePointer<carnet_error>?,
        _ body: () throws(CarnetFailure) -> Void
    ) -> carnet_status {
        do {
            try body()
            clear(error)
            return CARNET_OK
        } catch let failure {
            return report(failure, locale: locale, into: error)
        }
    }
}

/// The host's `carnet_error`, seen as raw bytes: the host allocated
/// `struct_size` bytes (its first member), which may be fewer than this
/// library's layout (a host built against an older header) or more (a newer
/// one). Each member is written only if it lies entirely within
/// min(struct_size, this library's size), so nothing is ever written past
/// what the host declared; `struct_size` itself is never written.
///
/// Only raw byte offsets are used, never `pointee`: forming a whole
/// `carnet_error` value over a shorter allocation would read past it.
struct HostError {
    /// Below this, not even the fixed members (struct_size, status, domain,
    /// code) fit: 0, a forgotten initialisation or garbage. Such a struct is
    /// treated as absent (the status is still returned).
    static let minimumSize = MemoryLayout<carnet_error>.offset(of: \carnet_error.message) ?? 16
    /// Above this, the value cannot be a real layout of this struct (each
    /// version only appends a few members): it is garbage, and writing up to
    /// our own size could overrun a smaller allocation.
    static let maximumSize = 1 << 16

    private let base: UnsafeMutableRawPointer
    /// Bytes this library may write: min(struct_size, our layout's size).
    private let writable: Int

    /// nil when the host passed no error or a struct without a valid size.
    init?(_ error: UnsafeMutablePointer<carnet_error>?) {
        guard let error else { return nil }
        let base = UnsafeMutableRawPointer(error)
        // struct_size is the first member (offset 0) in every version of the
        // layout; a host pointer is not trusted to be aligned.
        let declared = Int(base.loadUnaligned(as: UInt32.self))
        guard let writable = Self.writableBytes(declared: declared) else { return nil }
        self.base = base
        self.writable = writable
    }

    /// How many bytes a struct of `declared` bytes lets this library write;
    /// nil when `declared` is no valid size.
    static func writableBytes(declared: Int) -> Int? {
        guard declared >= minimumSize, declared <= maximumSize else { return nil }
        return min(declared, MemoryLayout<carnet_error>.size)
    }

    func fill(status: carnet_status, domain: carnet_error_domain, code: Int32, message: String, field: String) {
        store(status, at: \carnet_error.status)
        store(domain, at: \carnet_error.domain)
        store(code, at: \carnet_error.code)
        writeText(message, at: \carnet_error.message, capacity: Int(CARNET_ERROR_MESSAGE_SIZE))
        writeText(Self.fieldName(field), at: \carnet_error.field, capacity: Int(CARNET_ERROR_FIELD_SIZE))
    }

    private func store<T: BitwiseCopyable>(_ value: T, at member: KeyPath<carnet_error, T>) {
        guard let offset = MemoryLayout<carnet_error>.offset(of: member),
            offset + MemoryLayout<T>.size <= writable
        else { return }
        base.storeBytes(of: value, toByteOffset: offset, as: T.self)
    }

    /// Copies `text` as NUL-terminated UTF-8 into a char array member,
    /// truncated on a character boundary so the host never reads half a
    /// character. Skipped when the member does not fit in what the host declared.
    private func writeText<Member>(_ text: String, at member: KeyPath<carnet_error, Member>, capacity: Int) {
        guard capacity > 0, MemoryLayout<Member>.size == capacity,
            let offset = MemoryLayout<carnet_error>.offset(of: member),
            offset + capacity <= writable
        else { return }
        var length = 0
        for character in text {
            let utf8 = character.utf8
            guard length + utf8.count <= capacity - 1 else { break }
            for byte in utf8 {
                base.storeBytes(of: byte, toByteOffset: offset + length, as: UInt8.self)
                length += 1
            }
        }
        base.storeBytes(of: 0, toByteOffset: offset + length, as: UInt8.self)
    }

    /// A field name as the host may rely on it: printable ASCII that fits
    /// whole, or nothing (a cut name would focus the wrong input).
    static func fieldName(_ name: String) -> String {
        let fits = name.utf8.count < Int(CARNET_ERROR_FIELD_SIZE)
        let printable = name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        return fits && printable ? name : ""
    }

    /// carnet_error_init(): records the size the host allocated and empties
    /// every byte of it (the empty value of every member, including members
    /// of newer layouts this library does not know, is all zero bytes).
    static func initialise(_ error: UnsafeMutablePointer<carnet_error>?, size: UInt32) -> carnet_status {
        guard let error, writableBytes(declared: Int(size)) != nil else { return CARNET_E_INVALID_ARGUMENT }
        let base = UnsafeMutableRawPointer(error)
        for offset in 0..<Int(size) {
            base.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
        }
        base.storeBytes(of: size, toByteOffset: 0, as: UInt32.self)
        return CARNET_OK
    }
}

@c @implementation
public func carnet_error_init(_ error: UnsafeMutablePointer<carnet_error>?, _ struct_size: UInt32) -> carnet_status {
    HostError.initialise(error, size: struct_size)
}
