/// Machine-readable reason of an OperationOutcome issue: `issue.details.coding.code` in the
/// `CodeSystem.outcomeDetail` system. The service sends them, the library maps them to statuses
/// and French messages for the doctor (docs/protocol.md, "Errors"). Append new codes; never
/// rename one (a deployed library would fall back to the bare HTTP status).
public enum OutcomeDetail: String, CaseIterable, Sendable {
    // Requests the service cannot read.
    case malformed = "malformed"
    case malformedJSON = "malformed-json"
    case unsupportedMediaType = "unsupported-media-type"
    case unsupportedParameter = "unsupported-parameter"
    case bodyTooLarge = "body-too-large"
    case unknownEndpoint = "unknown-endpoint"
    case methodNotAllowed = "method-not-allowed"
    /// An element that is not in the FHIR R4 definition of the resource (`expression` names it).
    case unknownElement = "unknown-element"

    // Documents the service refuses (422).
    case missingElement = "missing-element"
    case invalidValue = "invalid-value"
    case birthDateInFuture = "birth-date-in-future"
    case dateInFuture = "date-in-future"
    case dateBeforeBirth = "date-before-birth"
    case unknownVaccineCode = "unknown-vaccine-code"
    case patientChanged = "patient-changed"
    case duplicateIdentifier = "duplicate-identifier"
    /// An `Idempotency-Key` already used by this professional for a different request body (422).
    case idempotencyKeyReused = "idempotency-key-reused"

    // Versions and existence.
    case versionConflict = "version-conflict"
    case deleted = "deleted"
    case notFound = "not-found"

    // Access to records and share codes.
    case accessRevoked = "access-revoked"
    case shareCodeRejected = "share-code-rejected"
    case shareCodeLocked = "share-code-locked"
    case shareCodeResent = "share-code-resent"
    case resendTooSoon = "resend-too-soon"

    // Identity: certificates, tokens, withdrawal codes.
    case certificateRequired = "certificate-required"
    case certificateUnknown = "certificate-unknown"
    case certificateRevoked = "certificate-revoked"
    case tokenInvalid = "token-invalid"
    case tokenBindingMismatch = "token-binding-mismatch"
    case withdrawalCodeMissing = "withdrawal-code-missing"
    case withdrawalCodeInvalid = "withdrawal-code-invalid"
    case withdrawalCodeUsed = "withdrawal-code-used"
    case withdrawalCodeExpired = "withdrawal-code-expired"
    case withdrawalCodeLocked = "withdrawal-code-locked"
    case invalidCSR = "invalid-csr"

    // Load and availability.
    case rateLimited = "rate-limited"
    case storage = "storage"

    // Recommendations (information or warning, not errors).
    case noRecommendation = "no-recommendation"
    case recommendationsUnavailable = "recommendations-unavailable"

    /// A withdrawal-code failure: counted against the client address by the enrollment throttle.
    public var isWithdrawalCodeFailure: Bool {
        switch self {
        case .withdrawalCodeMissing, .withdrawalCodeInvalid, .withdrawalCodeUsed, .withdrawalCodeExpired,
            .withdrawalCodeLocked:
            return true
        default:
            return false
        }
    }
}
