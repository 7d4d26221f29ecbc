public import CarnetJSON

/// FHIR R4 Parameters: the body of the named operations that take or return several values.
public enum Parameters {
    /// A parameter's value[x]: the member name follows the FHIR type.
    public enum Value: Sendable, Equatable {
        case string(String)
        case code(String)
        case date(String)
        case id(String)
        case integer(Int)
        case resource(JSONValue)
        /// A group of parameters (`part`).
        case parts([(String, Value)])

        public static func == (lhs: Value, rhs: Value) -> Bool { lhs.member == rhs.member && lhs.json == rhs.json }

        var member: String {
            switch self {
            case .string: return "valueString"
            case .code: return "valueCode"
            case .date: return "valueDate"
            case .id: return "valueId"
            case .integer: return "valueInteger"
            case .resource: return "resource"
            case .parts: return "part"
            }
        }

        var json: JSONValue {
            switch self {
            case .string(let text), .code(let text), .date(let text), .id(let text): return .string(text)
            case .integer(let value): return .number(String(value))
            case .resource(let resource): return resource
            case .parts(let items): return .array(items.map(Parameters.parameter))
            }
        }
    }

    /// `{"name": name, value[x]: value}`.
    public static func parameter(_ name: String, _ value: Value) -> JSONValue {
        .object(JSONObject([("name", .string(name)), (value.member, value.json)]))
    }

    /// A Parameters resource holding `items` in order.
    public static func make(_ items: [(String, Value)]) -> JSONValue {
        ["resourceType": "Parameters", "parameter": .array(items.map(parameter))]
    }

    /// name → text of every parameter with a string-like value[x] (string, code, date, id); nil
    /// when `resource` is not a Parameters resource. A repeated name keeps its last value.
    public static func texts(of resource: JSONValue) -> [String: String]? {
        guard resource["resourceType"] == "Parameters" else { return nil }
        var result: [String: String] = [:]
        for item in resource["parameter"]?.arrayValue ?? [] {
            guard let name = item["name"]?.stringValue else { continue }
            let members = ["valueString", "valueCode", "valueDate", "valueId"]
            if let text = members.lazy.compactMap({ item[$0]?.stringValue }).first { result[name] = text }
        }
        return result
    }

    /// The parameters named `name`, in order (their `part`, `resource` or value[x] still inside).
    public static func all(named name: String, in resource: JSONValue) -> [JSONValue] {
        (resource["parameter"]?.arrayValue ?? []).filter { $0["name"]?.stringValue == name }
    }
}

/// `$immds-forecast` answers: a Parameters resource with these parameter names (HL7 ImmDS).
public enum ForecastParameter {
    /// The ImmunizationRecommendation, when the service's engine computed one.
    public static let recommendation = "recommendation"
    /// Each Immunization the forecast considered.
    public static let evaluatedHistory = "evaluatedHistory"
    /// An OperationOutcome saying why there is no recommendation.
    public static let outcome = "outcome"
}
