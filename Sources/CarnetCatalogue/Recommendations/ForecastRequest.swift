public import CarnetJSON

/// What a forecast is asked for: the assessment date, the person's context, and (for a local
/// computation without the service) the birth date the host knows. Read from the host's context
/// JSON (docs/recommendations.md, "Context") and carried to the service as the Parameters of
/// `$immds-forecast` (docs/protocol.md), so both sides compute from the same inputs.
public struct ForecastRequest: Sendable, Equatable {
    public var assessmentDate: CivilDate?
    public var birthDate: CivilDate?
    public var context: PersonContext

    public init(assessmentDate: CivilDate? = nil, birthDate: CivilDate? = nil, context: PersonContext = .none) {
        self.assessmentDate = assessmentDate
        self.birthDate = birthDate
        self.context = context
    }

    /// A context member at fault: `field` names it (`pregnancy.weeks_of_amenorrhoea`), never its value.
    public struct Invalid: Error, Sendable, Equatable {
        public var field: String
    }

    /// Parameter names of `$immds-forecast` (ImmDS's `assessmentDate`, and the project's own).
    public enum Wire {
        public static let assessmentDate = "assessmentDate"
        public static let pregnancyStart = "pregnancyAmenorrhoeaStart"
        public static let condition = "condition"
        public static let exposure = "exposure"
        public static let immunity = "immunity"
    }

    // MARK: - The host's JSON

    /// Reads the host's context document. `today` dates a pregnancy given in weeks when the
    /// document has no `assessment_date`. Unknown members are refused (a typo must not silently
    /// drop a condition).
    public static func host(_ json: JSONValue, today: CivilDate) throws(Invalid) -> ForecastRequest {
        guard let object = json.objectValue else { throw Invalid(field: "context_json") }
        let known: Set<String> = ["assessment_date", "birth_date", "pregnancy", "conditions", "exposures", "immunities"]
        guard object.keys.allSatisfy(known.contains) else { throw Invalid(field: "context_json") }
        var request = ForecastRequest()
        func date(_ key: String, _ value: JSONValue?, field: String) throws(Invalid) -> CivilDate? {
            guard let value, !value.isNull else { return nil }
            guard let text = value.stringValue, let d = CivilDate(text) else { throw Invalid(field: field) }
            return d
        }
        request.assessmentDate = try date("assessment_date", object["assessment_date"], field: "assessment_date")
        request.birthDate = try date("birth_date", object["birth_date"], field: "birth_date")
        if let birth = request.birthDate, let at = request.assessmentDate, at < birth {
            throw Invalid(field: "assessment_date")
        }
        let on = request.assessmentDate ?? today
        if let pregnancy = object["pregnancy"], !pregnancy.isNull {
            guard let p = pregnancy.objectValue,
                  p.keys.allSatisfy({ ["weeks_of_amenorrhoea", "days", "expected_delivery_date"].contains($0) })
            else { throw Invalid(field: "pregnancy") }
            if let weeks = p["weeks_of_amenorrhoea"] {
                guard p["expected_delivery_date"] == nil else { throw Invalid(field: "pregnancy") }
                guard let w = weeks.intValue, (0...44).contains(w) else {
                    throw Invalid(field: "pregnancy.weeks_of_amenorrhoea")
                }
                var days: Int64 = 0
                if let d = p["days"] {
                    guard let value = d.intValue, (0...6).contains(value) else { throw Invalid(field: "pregnancy.days") }
                    days = value
                }
                request.context.pregnancy = Pregnancy(weeksOfAmenorrhoea: Int(w), days: Int(days), on: on)
            } else if let edd = p["expected_delivery_date"] {
                guard p["days"] == nil, let text = edd.stringValue, let d = CivilDate(text) else {
                    throw Invalid(field: "pregnancy.expected_delivery_date")
                }
                // At most 42 weeks ahead, at most 2 weeks past (a pregnancy, not a typo).
                guard on.days(until: d) <= Pregnancy.termDays + 14, d.days(until: on) <= 14 else {
                    throw Invalid(field: "pregnancy.expected_delivery_date")
                }
                request.context.pregnancy = Pregnancy(expectedDeliveryDate: d)
            } else {
                throw Invalid(field: "pregnancy")
            }
        }
        func words(_ key: String) throws(Invalid) -> [String] {
            guard let value = object[key], !value.isNull else { return [] }
            guard let items = value.arrayValue, items.count <= 64 else { throw Invalid(field: key) }
            var out: [String] = []
            for item in items {
                guard let word = item.stringValue else { throw Invalid(field: key) }
                out.append(word)
            }
            return out
        }
        for word in try words("conditions") {
            guard let c = PersonCondition(rawValue: word) else { throw Invalid(field: "conditions") }
            request.context.conditions.insert(c)
        }
        for word in try words("exposures") {
            guard let e = Exposure(rawValue: word) else { throw Invalid(field: "exposures") }
            request.context.exposures.insert(e)
        }
        for word in try words("immunities") {
            guard let d = Disease.byKey[word] ?? Disease.byCode[word.uppercased()] else {
                throw Invalid(field: "immunities")
            }
            request.context.immunities.insert(d.code)
        }
        return request
    }

    // MARK: - The wire (Parameters of $immds-forecast)

    /// The Parameters sent to the service. The birth date is not sent: the service has it.
    public func parameters() -> JSONValue {
        var items: [JSONValue] = []
        if let assessmentDate {
            items.append(["name": .string(Wire.assessmentDate), "valueDate": .string(assessmentDate.iso)])
        }
        if let pregnancy = context.pregnancy {
            items.append(["name": .string(Wire.pregnancyStart), "valueDate": .string(pregnancy.amenorrhoeaStart.iso)])
        }
        func coding(_ name: String, _ system: String, _ code: String) -> JSONValue {
            ["name": .string(name), "valueCoding": ["system": .string(system), "code": .string(code)]]
        }
        for c in PersonCondition.allCases where context.conditions.contains(c) {
            items.append(coding(Wire.condition, ContextVocabulary.conditionSystem, c.rawValue))
        }
        for e in Exposure.allCases where context.exposures.contains(e) {
            items.append(coding(Wire.exposure, ContextVocabulary.exposureSystem, e.rawValue))
        }
        for code in context.immunities.sorted() {
            items.append(coding(Wire.immunity, FHIRRecommendation.nuvaSystem, code))
        }
        var object = JSONObject()
        object["resourceType"] = "Parameters"
        if !items.isEmpty { object["parameter"] = .array(items) }
        return .object(object)
    }

    /// Reads the Parameters the service received. `field` of an error is the parameter's name.
    public static func fromParameters(_ json: JSONValue) throws(Invalid) -> ForecastRequest {
        guard json["resourceType"] == "Parameters" else { throw Invalid(field: "resourceType") }
        var request = ForecastRequest()
        let parameters = json["parameter"]?.arrayValue ?? []
        guard parameters.count <= 256 else { throw Invalid(field: "parameter") }
        for parameter in parameters {
            guard let name = parameter["name"]?.stringValue else { throw Invalid(field: "parameter.name") }
            func date() throws(Invalid) -> CivilDate {
                guard let text = parameter["valueDate"]?.stringValue, let d = CivilDate(text) else {
                    throw Invalid(field: name)
                }
                return d
            }
            func code(_ system: String) throws(Invalid) -> String {
                guard let coding = parameter["valueCoding"], coding["system"]?.stringValue == system,
                      let code = coding["code"]?.stringValue else { throw Invalid(field: name) }
                return code
            }
            switch name {
            case Wire.assessmentDate: request.assessmentDate = try date()
            case Wire.pregnancyStart: request.context.pregnancy = Pregnancy(amenorrhoeaStart: try date())
            case Wire.condition:
                guard let c = PersonCondition(rawValue: try code(ContextVocabulary.conditionSystem)) else {
                    throw Invalid(field: name)
                }
                request.context.conditions.insert(c)
            case Wire.exposure:
                guard let e = Exposure(rawValue: try code(ContextVocabulary.exposureSystem)) else { throw Invalid(field: name) }
                request.context.exposures.insert(e)
            case Wire.immunity:
                let value = try code(FHIRRecommendation.nuvaSystem)
                guard Disease.byCode[value] != nil else { throw Invalid(field: name) }
                request.context.immunities.insert(value)
            default:
                throw Invalid(field: name)
            }
        }
        return request
    }
}
