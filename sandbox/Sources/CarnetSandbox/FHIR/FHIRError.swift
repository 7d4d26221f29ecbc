// An error the HTTP layer turns into an OperationOutcome (CarnetWire builds it).

import CarnetWire

struct FHIRError: Error, CustomStringConvertible {
    let status: Int
    let code: OperationOutcome.IssueType
    let message: String  // human text, never patient data
    var detail: OutcomeDetail?  // the machine code clients act on
    var expression: String?
    var retryAfter: Int?

    init(
        status: Int, code: OperationOutcome.IssueType, message: String, detail: OutcomeDetail? = nil,
        expression: String? = nil, retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.expression = expression
        self.retryAfter = retryAfter
    }

    var description: String { "\(status) \(code.rawValue): \(message)" }

    var outcome: JSONValue {
        OperationOutcome.make(severity: .error, code: code, message: message, detail: detail, expression: expression)
    }

    static func badRequest(_ message: String, expression: String? = nil) -> FHIRError {
        FHIRError(status: 400, code: .invalid, message: message, detail: .malformed, expression: expression)
    }
    static func notFound(_ type: String, _ id: String) -> FHIRError {
        // The id is not repeated: the body is byte-identical for a missing id and for one that exists
        // in a carnet this professional cannot see.
        FHIRError(status: 404, code: .notFound, message: "\(type) not found", detail: .notFound)
    }
    static func deleted(_ message: String) -> FHIRError {
        FHIRError(status: 410, code: .deleted, message: message, detail: .deleted)
    }
    static func required(_ expression: String) -> FHIRError {
        FHIRError(
            status: 422, code: .required, message: "\(expression) is required", detail: .missingElement,
            expression: expression)
    }
    static func business(_ message: String, detail: OutcomeDetail, expression: String? = nil) -> FHIRError {
        FHIRError(status: 422, code: .businessRule, message: message, detail: detail, expression: expression)
    }
    static func invalidValue(_ message: String, expression: String) -> FHIRError {
        FHIRError(status: 422, code: .value, message: message, detail: .invalidValue, expression: expression)
    }
    static func versionConflict(current version: Int) -> FHIRError {
        FHIRError(
            status: 412, code: .conflict, message: "version conflict: the current version is \(version)",
            detail: .versionConflict)
    }
    static func duplicateIdentifier(_ message: String) -> FHIRError {
        FHIRError(status: 409, code: .duplicate, message: message, detail: .duplicateIdentifier)
    }
    static func methodNotAllowed(_ message: String) -> FHIRError {
        FHIRError(status: 405, code: .notSupported, message: message, detail: .methodNotAllowed)
    }
    static func internalError(_ message: String) -> FHIRError {
        FHIRError(status: 500, code: .exception, message: message)
    }
    static let certificateRequired = FHIRError(
        status: 401, code: .login, message: "a client certificate is required",
        detail: .certificateRequired)
    static let tooLarge = FHIRError(
        status: 413, code: .tooCostly, message: "request bodies are limited to 1 MiB",
        detail: .bodyTooLarge)
    static let frozen = FHIRError(
        status: 403, code: .forbidden,
        message: "the patient revoked this professional's access: the carnet is read-only",
        detail: .accessRevoked)
}
