public import CarnetJSON
internal import CarnetCatalogue
internal import CarnetWire

/// "Recommandation CVE": the recommendations for a patient, as a FHIR
/// ImmunizationRecommendation. The service's answer (`$immds-forecast`) is
/// preferred; when the service has no engine, Carnet computes them itself
/// from the carnet's vaccinations with its own engine (French 2025 calendar,
/// docs/recommendations.md), and says so in the resource's `meta.tag`.
extension CarnetClient {
    public func recommendations(patientID: HostPatientID) throws(CarnetFailure) -> JSONValue {
        let carnet = try linkedRecord(patientID)
        let connection = ServiceConnection(client: self, token: cancellation.token())
        let answer = try connection.send(.get, WirePath.immdsForecast(record: carnet.value), expect: [200])
        guard let resource = answer.resource else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        switch resource["resourceType"]?.stringValue {
        case "ImmunizationRecommendation":
            return resource
        case "Parameters":
            if let found = Parameters.all(named: ForecastParameter.recommendation, in: resource).first?["resource"],
                found["resourceType"] == "ImmunizationRecommendation"
            {
                return found
            }
            let history = Parameters.all(named: ForecastParameter.evaluatedHistory, in: resource)
                .compactMap { $0["resource"] }
            return try localRecommendations(carnet: carnet, connection: connection, history: history)
        default:
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
    }

    private func localRecommendations(
        carnet: RecordID, connection: ServiceConnection, history: [JSONValue]
    )
        throws(CarnetFailure) -> JSONValue
    {
        let patient = try connection.resource(
            try connection.send(.get, WirePath.patient(carnet.value), expect: [200]),
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
            let code =
                codings.compactMap { $0["code"]?.stringValue }.first {
                    catalogue.current.product(code: $0) != nil
                } ?? codings.first?["code"]?.stringValue
            return AdministeredDose(
                date: date, productCode: code,
                reference: immunization["id"]?.stringValue.map { "Immunization/" + $0 })
        }
        var resource = RecommendationEngine(catalogue: catalogue.current).immunizationRecommendation(
            birthDate: birth, assessmentDate: Timestamps.today(), history: doses,
            patientReference: "Patient/" + carnet.value)
        resource["meta"] = [
            "tag": [
                [
                    "system": .string(CodeSystem.recommendationOrigin), "code": "computed-locally",
                    "display": "Calculé par Carnet (calendrier vaccinal 2025)",
                ]
            ]
        ]
        return resource
    }
}

/// "Saisir le nom du vaccin ou d'une maladie": vaccine search in Carnet's own
/// catalogue (offline), by product name, disease or code, case- and
/// accent-insensitive. The answer is a FHIR ValueSet expansion whose
/// `contains` carry the CIS code, the name, the target diseases and the other
/// codes — the very entries the service's `ValueSet/$expand` answers with
/// (both are built by CarnetWire).
extension CarnetClient {
    public static let cisSystem = CodeSystem.cis

    public func searchVaccines(_ query: String, limit: Int = 20) -> JSONValue {
        let products = catalogue.current.search(query, limit: max(1, min(limit, 100)))
        let entries = products.map { product in
            VaccineExpansionEntry(
                name: product.name, cisCodes: product.cisCodes, nuva: product.nuva, atc: product.atc,
                targetDiseases: product.targetDiseases.map(\.label),
                marketedInFrance: product.marketedInFrance
            ).json
        }
        let timestamp = Timestamps.instant(Clock.nowSeconds())
        return VaccineValueSet.expansion(filter: query, timestamp: timestamp, entries: entries)
    }
}
