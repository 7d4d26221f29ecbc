internal import CarnetJSON

/// Turns an HTTP error answer of the service into a failure the host can act
/// on. The OperationOutcome's machine-readable detail code (see
/// docs/protocol.md) is preferred; the HTTP status is the fallback, so a
/// service that sends no detail is still understood. The service's own text
/// is never shown: it may quote what was sent.
enum ServiceFailures {
    static func map(_ response: HTTPResponse) -> CarnetFailure {
        let status = response.status
        let code = Int32(clamping: status)
        let detail = detailCode(response.body)
        let retryAfter = response.header("retry-after").flatMap { Int64($0) }.map { min(max($0, 0), 86_400) }
        func failure(_ kind: FailureKind, _ message: UserMessage) -> CarnetFailure {
            CarnetFailure(kind, domain: .http, code: code, message: message, retryAfterSeconds: retryAfter)
        }
        switch detail {
        case "withdrawal-code-invalid": return failure(.withdrawalCode, .withdrawalCodeInvalid)
        case "withdrawal-code-used": return failure(.withdrawalCode, .withdrawalCodeUsed)
        case "withdrawal-code-expired": return failure(.withdrawalCode, .withdrawalCodeExpired)
        case "withdrawal-code-missing": return failure(.withdrawalCode, .withdrawalCodeInvalid)
        case "withdrawal-code-locked": return failure(.locked, .withdrawalCodeLocked)
        case "share-code-rejected": return failure(.accessDenied, .shareCodeRejected)
        case "share-code-locked": return failure(.locked, .shareCodeLocked)
        case "resend-too-soon": return failure(.locked, .resendTooSoon)
        case "access-revoked": return failure(.accessDenied, .accessRevoked)
        case "certificate-required", "certificate-revoked", "certificate-unknown", "token-invalid",
             "token-binding-mismatch":
            return CarnetFailure(.credentials, domain: .credentials, code: code, message: .credentialsRefused)
        case "date-in-future": return failure(.rejected, .rejected(.dateInFuture))
        case "date-before-birth": return failure(.rejected, .rejected(.dateBeforeBirth))
        case "unknown-vaccine-code": return failure(.rejected, .rejected(.unknownVaccine))
        case "missing-element": return failure(.rejected, .rejected(.missingElement))
        case "invalid-value": return failure(.rejected, .rejected(.invalidValue))
        case "birth-date-in-future": return failure(.rejected, .rejected(.birthDateInFuture))
        case "duplicate-identifier": return failure(.rejected, .rejected(.duplicateIdentifier))
        case "version-conflict": return failure(.conflict, .versionConflict)
        case "deleted": return failure(.notFound, .remoteDeleted)
        case "not-found": return failure(.notFound, .remoteNotFound)
        default: break
        }
        switch status {
        case 401, 403: return CarnetFailure(.credentials, domain: .credentials, code: code, message: .credentialsRefused)
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

    /// issue[0].details.coding[0].code of an OperationOutcome, if the body is one.
    static func detailCode(_ body: [UInt8]) -> String? {
        guard !body.isEmpty, body.count <= 1 << 20,
              let outcome = try? JSONValue.parse(body, limits: JSONLimits(maxBytes: 1 << 20, maxDepth: 16)),
              outcome["resourceType"] == "OperationOutcome"
        else { return nil }
        return outcome["issue"]?[0]?["details"]?["coding"]?[0]?["code"]?.stringValue
    }
}
