internal import CarnetJSON
internal import CarnetWire

/// Turns an HTTP error answer of the service into a failure the host can act
/// on. The OperationOutcome's machine-readable detail code (see
/// docs/protocol.md) is preferred; the HTTP status is the fallback, so a
/// service that sends no detail is still understood. The service's own text
/// is never shown: it may quote what was sent.
enum ServiceFailures {
    static func map(_ response: HTTPResponse) -> CarnetFailure {
        let status = response.status
        let code = Int32(clamping: status)
        let outcome = outcome(response.body)
        let detail = outcome.flatMap(OperationOutcome.detail(of:))
        let element = outcome.flatMap(expression(of:))
        let retryAfter = response.header(WireHeader.retryAfter).flatMap { Int64($0) }.map { min(max($0, 0), 86_400) }
        func failure(_ kind: FailureKind, _ message: UserMessage) -> CarnetFailure {
            CarnetFailure(kind, domain: .http, code: code, message: message, retryAfterSeconds: retryAfter)
        }
        switch detail {
        case .withdrawalCodeInvalid: return failure(.withdrawalCode, .withdrawalCodeInvalid)
        case .withdrawalCodeUsed: return failure(.withdrawalCode, .withdrawalCodeUsed)
        case .withdrawalCodeExpired: return failure(.withdrawalCode, .withdrawalCodeExpired)
        case .withdrawalCodeMissing: return failure(.withdrawalCode, .withdrawalCodeInvalid)
        case .withdrawalCodeLocked: return failure(.locked, .withdrawalCodeLocked)
        case .shareCodeRejected: return failure(.accessDenied, .shareCodeRejected)
        case .shareCodeLocked: return failure(.locked, .shareCodeLocked)
        case .resendTooSoon: return failure(.locked, .resendTooSoon)
        case .accessRevoked: return failure(.accessDenied, .accessRevoked)
        case .certificateRevoked:
            return CarnetFailure(.credentials, domain: .credentials, code: code, message: .certificateRevoked)
        case .certificateUnknown:
            return CarnetFailure(.credentials, domain: .credentials, code: code, message: .certificateUnknown)
        case .certificateRequired:
            return CarnetFailure(.credentials, domain: .credentials, code: code, message: .certificateMissing)
        case .tokenInvalid, .tokenBindingMismatch:
            return CarnetFailure(.credentials, domain: .credentials, code: code, message: .credentialsRefused)
        case .idempotencyKeyReused: return failure(.conflict, .creationRetriedWithOtherData)
        case .dateInFuture: return failure(.rejected, .rejected(.dateInFuture))
        case .dateBeforeBirth: return failure(.rejected, .rejected(.dateBeforeBirth))
        case .unknownVaccineCode: return failure(.rejected, .rejected(.unknownVaccine))
        case .missingElement: return failure(.rejected, .rejected(.missingElement(element)))
        case .invalidValue: return failure(.rejected, .rejected(.invalidValue(element)))
        case .birthDateInFuture: return failure(.rejected, .rejected(.birthDateInFuture))
        case .duplicateIdentifier: return failure(.rejected, .rejected(.duplicateIdentifier))
        case .versionConflict: return failure(.conflict, .versionConflict)
        case .deleted: return failure(.notFound, .remoteDeleted)
        case .notFound: return failure(.notFound, .remoteNotFound)
        default: break
        }
        switch status {
        case 401, 403:
            return CarnetFailure(.credentials, domain: .credentials, code: code, message: .credentialsRefused)
        case 404: return failure(.notFound, .remoteNotFound)
        case 409, 412: return failure(.conflict, .versionConflict)
        case 410: return failure(.notFound, .remoteDeleted)
        case 422: return failure(.rejected, .rejected(.other(element)))
        case 429: return failure(.locked, .rateLimited)
        case 300..<400: return failure(.protocolViolation, .protocolViolation(.redirect))
        case 500..<600: return failure(.http, .serviceUnavailable)
        default: return failure(.http, .serviceError(status: status))
        }
    }

    /// The body, when it is JSON (an OperationOutcome, normally).
    static func outcome(_ body: [UInt8]) -> JSONValue? {
        guard !body.isEmpty, body.count <= 1 << 20 else { return nil }
        return try? JSONValue.parse(body, limits: JSONLimits(maxBytes: 1 << 20, maxDepth: 16))
    }

    /// The detail of an OperationOutcome body, when the body is one and the code is known.
    static func outcomeDetail(_ body: [UInt8]) -> OutcomeDetail? {
        outcome(body).flatMap(OperationOutcome.detail(of:))
    }

    /// The element the first issue names (`expression`, else the deprecated `location`), kept
    /// only when it looks like a FHIRPath of an element (letters, digits, `.`, `[]`, `()`, `_`),
    /// at most 128 bytes: it goes into the doctor's message, and a hostile service must not be
    /// able to put text there.
    static func expression(of outcome: JSONValue) -> String? {
        guard outcome["resourceType"] == "OperationOutcome",
            let text = outcome["issue"]?[0]?["expression"]?[0]?.stringValue
                ?? outcome["issue"]?[0]?["location"]?[0]?.stringValue,
            !text.isEmpty, text.utf8.count <= 128,
            text.unicodeScalars.allSatisfy(isPathScalar)
        else { return nil }
        return text
    }

    private static func isPathScalar(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || ".[]()_".unicodeScalars.contains(c)
    }
}
