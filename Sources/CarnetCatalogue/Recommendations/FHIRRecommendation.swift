public import CarnetJSON

/// FHIR R4 ImmunizationRecommendation from a forecast (shaped like HL7 ImmDS `$immds-forecast`).
public enum FHIRRecommendation {
    public static let statusSystem = "http://terminology.hl7.org/CodeSystem/immunization-recommendation-status"
    /// The project's own codes for the two states HL7's code system has no word for:
    /// `notdue` ("not yet due") and `notrecommended` ("not recommended for this person now").
    public static let carnetStatusSystem = "urn:carnet:fhir:CodeSystem:forecast-status"
    /// The rule that decided (`forecastReason.coding.code` = `ForecastReason.ruleID`).
    public static let ruleSystem = "urn:carnet:fhir:CodeSystem:recommendation-rule"
    /// Extension on each recommendation: the 2025 calendar's section (valueString).
    public static let calendarReferenceExtension = "urn:carnet:fhir:StructureDefinition:calendar-reference"
    public static let loinc = "http://loinc.org"
    /// NUVA as published by the French Agence du Numérique en Santé (SMT).
    public static let nuvaSystem = "http://smt.esante.gouv.fr/terminologie-nuva"

    /// The resource for `patientReference` (e.g. `Patient/2f1c…`), dated `assessmentDate`.
    public static func immunizationRecommendation(
        forecasts: [VaccineGroupForecast], patientReference: String, assessmentDate: CivilDate, id: String? = nil
    ) -> JSONValue {
        var resource = JSONObject()
        resource["resourceType"] = "ImmunizationRecommendation"
        if let id { resource["id"] = .string(id) }
        resource["patient"] = ["reference": .string(patientReference)]
        resource["date"] = .string(assessmentDate.iso)
        resource["recommendation"] = .array(forecasts.map(recommendation))
        return .object(resource)
    }

    static func recommendation(_ f: VaccineGroupForecast) -> JSONValue {
        var r = JSONObject()
        r["targetDisease"] = [
            "coding": .array(f.targetDiseases.map { d in
                ["system": .string(nuvaSystem), "code": .string(d.code), "display": .string(d.label)]
            }),
            "text": .string(f.label),
        ]
        r["forecastStatus"] = status(f.status)
        if !f.reason.ruleID.isEmpty {
            r["forecastReason"] = [
                [
                    "coding": [["system": .string(ruleSystem), "code": .string(f.reason.ruleID)]],
                    "text": .string(f.reason.text),
                ]
            ]
        }
        if !f.reason.reference.isEmpty {
            r["extension"] = [["url": .string(calendarReferenceExtension), "valueString": .string(f.reason.reference)]]
        }
        var criteria: [JSONValue] = []
        func criterion(_ code: String, _ display: String, _ date: CivilDate?) {
            guard let date else { return }
            criteria.append([
                "code": ["coding": [["system": .string(loinc), "code": .string(code), "display": .string(display)]]],
                "value": .string(date.iso),
            ])
        }
        criterion("30981-5", "Earliest date to give", f.earliestDate)
        criterion("30980-7", "Date vaccine due", f.dueDate)
        criterion("59778-1", "Date when overdue for immunization", f.overdueDate)
        criterion("59777-3", "Latest date to give immunization", f.latestDate)
        if !criteria.isEmpty { r["dateCriterion"] = .array(criteria) }
        r["description"] = .string(f.label)
        if let series = f.seriesName { r["series"] = .string(series) }
        if let n = f.doseNumber, n > 0 { r["doseNumberPositiveInt"] = .integer(n) }
        if let n = f.seriesDoses, n > 0 { r["seriesDosesPositiveInt"] = .integer(n) }
        let references = f.supportingDoses.compactMap(\.reference)
        if !references.isEmpty {
            r["supportingImmunization"] = .array(references.map { ["reference": .string($0)] })
        }
        return .object(r)
    }

    static func status(_ s: ForecastStatus) -> JSONValue {
        let (system, display, text): (String, String, String)
        switch s {
        case .due: (system, display, text) = (statusSystem, "Due", "À faire")
        case .overdue: (system, display, text) = (statusSystem, "Overdue", "En retard")
        case .complete: (system, display, text) = (statusSystem, "Complete", "À jour")
        case .immune: (system, display, text) = (statusSystem, "Immune", "Immunisé")
        case .contraindicated: (system, display, text) = (statusSystem, "Contraindicated", "Contre-indiqué")
        case .notDue: (system, display, text) = (carnetStatusSystem, "Not yet due", "Pas encore à faire")
        case .notRecommended:
            (system, display, text) = (carnetStatusSystem, "Not recommended", "Non recommandé pour cette personne actuellement")
        }
        return [
            "coding": [["system": .string(system), "code": .string(s.rawValue), "display": .string(display)]],
            "text": .string(text),
        ]
    }
}

extension RecommendationEngine {
    /// Forecast and FHIR resource in one call.
    public func immunizationRecommendation(
        birthDate: CivilDate, assessmentDate: CivilDate, history: [AdministeredDose], patientReference: String,
        context: PersonContext = .none
    ) -> JSONValue {
        FHIRRecommendation.immunizationRecommendation(
            forecasts: forecast(birthDate: birthDate, assessmentDate: assessmentDate, history: history, context: context),
            patientReference: patientReference, assessmentDate: assessmentDate)
    }
}
