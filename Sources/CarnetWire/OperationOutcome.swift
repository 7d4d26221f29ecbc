public import CarnetJSON

/// FHIR R4 OperationOutcome: how the service reports every error (and a few informations).
public enum OperationOutcome {
    /// OperationOutcome.issue.severity.
    public enum Severity: String, Sendable {
        case fatal, error, warning, information
    }

    /// OperationOutcome.issue.code (FHIR IssueType), the subset the protocol uses.
    public enum IssueType: String, Sendable {
        case invalid, structure, required, value
        case businessRule = "business-rule"
        case notFound = "not-found"
        case deleted, conflict, duplicate, forbidden, security, login, throttled
        case notSupported = "not-supported"
        case tooCostly = "too-costly"
        case exception, transient, informational
    }

    /// One issue. `message` is human text and never holds patient data; `detail` is the machine
    /// code clients act on; `expression` names the FHIR element at fault.
    public static func make(
        severity: Severity, code: IssueType, message: String, detail: OutcomeDetail? = nil,
        expression: String? = nil
    ) -> JSONValue {
        var issue = JSONObject()
        issue["severity"] = .string(severity.rawValue)
        issue["code"] = .string(code.rawValue)
        if let detail {
            issue["details"] = [
                "coding": [["system": .string(CodeSystem.outcomeDetail), "code": .string(detail.rawValue)]],
                "text": .string(message),
            ]
        }
        issue["diagnostics"] = .string(message)
        if let expression { issue["expression"] = [.string(expression)] }
        return ["resourceType": "OperationOutcome", "issue": [.object(issue)]]
    }

    /// The detail code of the first issue, as sent (nil when `resource` is no OperationOutcome or
    /// has none). Raw, so a code newer than this build is still seen; `detail(of:)` types it.
    public static func detailCode(of resource: JSONValue) -> String? {
        guard resource["resourceType"] == "OperationOutcome" else { return nil }
        return resource["issue"]?[0]?["details"]?["coding"]?[0]?["code"]?.stringValue
    }

    /// The detail of the first issue, when it is one this build knows.
    public static func detail(of resource: JSONValue) -> OutcomeDetail? {
        detailCode(of: resource).flatMap(OutcomeDetail.init(rawValue:))
    }
}
