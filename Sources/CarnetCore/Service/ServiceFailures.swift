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
        let detail = outcomeDetail(response.body)
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
        case .missingElement: return failure(.rejected, .rejected(.missingElement))
        case .invalidValue: return failure(.rejected, .rejected(.invalidValue))
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
        case 422: return failure(.rejected, .rejected(.other))
        case 429: return failure(.locked, .rateLimited)
        case 300..<400: return failure(.protocolViolation, .protocolViolation(.redirect))
        case 500..<600: return failure(.http, .serviceUnavailable)
        default: return failure(.http, .serviceError(status: status))
        }
    }

    /// The detail of an OperationOutcome body, when the body is one and the code is known.
    static func outcomeDetail(_ body: [UInt8]) -> OutcomeDetail? {
        guard !body.isEmpty, body.count <= 1 << 20,
            let outcome = try? JSONValue.parse(body, limits: JSONLimits(maxBytes: 1 << 20, maxDepth: 16))
        else { return nil }
        return OperationOutcome.detail(of: outcome)
    }
}
