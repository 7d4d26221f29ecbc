public import CarnetJSON
internal import CarnetCatalogue

/// "Recommandation CVE": the recommendations for a patient, as a FHIR
/// ImmunizationRecommendation. The service's answer (`$immds-forecast`) is
/// preferred; when the service has no engine, Carnet computes them itself
/// from the carnet's vaccinations with its own engine (French 2025 calendar,
/// docs/recommendations.md), and says so in the resource's `meta.tag`.
extension CarnetClient {
    public func recommendations(patientID: HostPatientID) throws(CarnetFailure) -> JSONValue {
        let carnet = try linkedCarnet(patientID)
        let connection = ServiceConnection(client: self, token: cancellation.token())
        let answer = try connection.send(.get, "Patient/\(carnet.value)/$immds-forecast", expect: [200])
        guard let resource = answer.resource else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        switch resource["resourceType"]?.stringValue {
        case "ImmunizationRecommendation":
            return resource
        case "Parameters":
            let parameters = resource["parameter"]?.arrayValue ?? []
            if let found = parameters.first(where: { $0["name"] == "recommendation" })?["resource"],
               found["resourceType"] == "ImmunizationRecommendation"
            {
                return found
            }
            return try localRecommendations(carnet: carnet, connection: connection,
                                            history: parameters.filter { $0["name"] == "evaluatedHistory" }
                                                .compactMap { $0["resource"] })
        default:
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
    }

    private func localRecommendations(carnet: CarnetID, connection: ServiceConnection, history: [JSONValue])
        throws(CarnetFailure) -> JSONValue
    {
        let patient = try connection.resource(try connection.send(.get, "Patient/\(carnet.value)", expect: [200]),
                                              type: "Patient")
        guard let birth = patient["birthDate"]?.stringValue.flatMap({ CivilDate($0) }) else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        let doses: [AdministeredDose] = history.compactMap { immunization in
            guard immunization["resourceType"] == "Immunization",
                  let text = immunization["occurrenceDateTime"]?.stringValue, text.utf8.count >= 10,
                  let date = CivilDate(text.prefix(10))
            else { return nil }
            let codings = immunization["vaccineCode"]?["coding"]?.arrayValue ?? []
            let code = codings.compactMap { $0["code"]?.stringValue }.first {
                VaccineCatalogue.builtIn.product(code: $0) != nil
            } ?? codings.first?["code"]?.stringValue
            return AdministeredDose(date: date, productCode: code,
                                    reference: immunization["id"]?.stringValue.map { "Immunization/" + $0 })
        }
        var resource = RecommendationEngine(catalogue: VaccineCatalogue.builtIn).immunizationRecommendation(
            birthDate: birth, assessmentDate: Timestamps.today(), history: doses,
            patientReference: "Patient/" + carnet.value)
        resource["meta"] = ["tag": [["system": "urn:carnet:fhir:CodeSystem:origin", "code": "computed-locally",
                                     "display": "Calculé par Carnet (calendrier vaccinal 2025)"]]]
        return resource
    }
}

/// "Saisir le nom du vaccin ou d'une maladie": vaccine search in Carnet's own
/// catalogue (offline), by product name, disease or code, case- and
/// accent-insensitive. The answer is a FHIR ValueSet expansion whose
/// `contains` carry the CIS code, the name, and the target diseases.
extension CarnetClient {
    public static let cisSystem = "https://smt.esante.gouv.fr/terminologie-bdpm"

    public func searchVaccines(_ query: String, limit: Int = 20) -> JSONValue {
        let products = VaccineCatalogue.builtIn.search(query, limit: max(1, min(limit, 100)))
        let contains: [JSONValue] = products.map { product in
            var item = JSONObject()
            if let cis = product.cis {
                item["system"] = .string(CarnetClient.cisSystem)
                item["code"] = .string(cis)
            } else if let nuva = product.nuva {
                item["system"] = .string(FHIRRecommendation.nuvaSystem)
                item["code"] = .string(nuva)
            }
            item["display"] = .string(product.name)
            item["designation"] = .array(product.targetDiseases.map { disease in
                ["language": "fr", "use": ["code": "target-disease"], "value": .string(disease.label)]
            })
            return .object(item)
        }
        var expansion = JSONObject()
        expansion["timestamp"] = .string(Timestamps.instant(Clock.nowSeconds()))
        expansion["total"] = .number(String(contains.count))
        expansion["parameter"] = [["name": "filter", "valueString": .string(query)]]
        if !contains.isEmpty { expansion["contains"] = .array(contains) }
        return ["resourceType": "ValueSet", "status": "active", "expansion": .object(expansion)]
    }
}
