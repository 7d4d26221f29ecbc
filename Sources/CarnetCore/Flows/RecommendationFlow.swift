public import CarnetJSON
internal import CarnetCatalogue
internal import CarnetWire

/// "Recommandation CVE": the recommendations for a patient, as a FHIR
/// ImmunizationRecommendation, as of an assessment date and for the person's context
/// (docs/recommendations.md). The service's answer (`$immds-forecast`, sent the same date and
/// context) is preferred; when the service has no engine, or cannot be reached, Carnet computes
/// them itself with its own engine from the carnet's vaccinations, and says so in `meta.tag`.
extension CarnetClient {
    /// Extension on the resource computed offline: when sync last caught up with the service.
    static let localCopyAsOfExtension = "urn:carnet:fhir:StructureDefinition:local-copy-as-of"

    func today() -> CivilDate { configuration.today() }

    public func recommendations(patientID: HostPatientID, context: JSONValue? = nil) throws(CarnetFailure) -> JSONValue {
        // The host's arguments first: a wrong context is the host's to fix, whatever the link.
        var request = ForecastRequest()
        if let context {
            do throws(ForecastRequest.Invalid) {
                request = try ForecastRequest.host(context, today: today())
            } catch {
                throw .invalidArgument(.invalidField(error.field, reason: .unknownValue))
            }
        }
        let carnet = try linkedRecord(patientID)
        // The library dates the forecast, so the service computes for the same day.
        request.assessmentDate = request.assessmentDate ?? today()
        guard configuration.serviceURL != nil else {
            return try offlineRecommendations(carnet: carnet, request: request, failure: nil)
        }
        let connection = ServiceConnection(client: self, token: cancellation.token())
        let answer: ServiceConnection.Answer
        do throws(CarnetFailure) {
            answer = try connection.send(
                .post, WirePath.immdsForecast(record: carnet.value), body: request.parameters(), expect: [200])
        } catch {
            guard CarnetClient.isUnreachable(error) else { throw error }
            logger.log(.info, "service unreachable: recommendations computed from the local copy")
            return try offlineRecommendations(carnet: carnet, request: request, failure: error)
        }
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
            return try localRecommendations(carnet: carnet, connection: connection, history: history, request: request)
        default:
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
    }

    /// No answer from the service (network, timeout, 5xx): the local copy can stand in.
    static func isUnreachable(_ failure: CarnetFailure) -> Bool {
        switch failure.kind {
        case .network, .timeout: return true
        case .http: return failure.code >= 500
        default: return false
        }
    }

    /// The service has no engine: Carnet's own, on the history the service sent.
    private func localRecommendations(
        carnet: RecordID, connection: ServiceConnection, history: [JSONValue], request: ForecastRequest
    )
        throws(CarnetFailure) -> JSONValue
    {
        let patient = try connection.resource(
            try connection.send(.get, WirePath.patient(carnet.value), expect: [200]),
            type: "Patient")
        guard let text = patient["birthDate"]?.stringValue, let birth = CivilDate(text) else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        try? store.rememberBirthDate(text, of: carnet)
        var resource = computeLocally(carnet: carnet, birth: birth, history: history, request: request)
        resource["meta"] = ["tag": [CarnetClient.computedLocallyTag]]
        return resource
    }

    /// The service cannot be reached: the store's copy of the carnet, said to be so.
    private func offlineRecommendations(carnet: RecordID, request: ForecastRequest, failure: CarnetFailure?)
        throws(CarnetFailure) -> JSONValue
    {
        let remembered = try store.birthDate(of: carnet).flatMap { CivilDate($0) }
        guard let birth = request.birthDate ?? remembered else {
            throw failure ?? CarnetFailure.invalidArgument(.missingArgument("birth_date"))
        }
        let history = try store.localImmunizations(of: carnet)
        var resource = computeLocally(carnet: carnet, birth: birth, history: history, request: request)
        var tags: [JSONValue] = [CarnetClient.computedLocallyTag]
        if failure != nil { tags.append(CarnetClient.offlineTag) }
        resource["meta"] = ["tag": .array(tags)]
        if let seconds = try store.lastPullAt() {
            resource["extension"] = [
                ["url": .string(CarnetClient.localCopyAsOfExtension), "valueDateTime": .string(Timestamps.instant(seconds))]
            ]
        }
        return resource
    }

    /// The service could not be reached: the answer comes from the store's copy of the carnet.
    static let offlineTag: JSONValue = [
        "system": .string(CodeSystem.recommendationOrigin), "code": "offline",
        "display": "Service injoignable : calculé sur la copie locale du carnet",
    ]

    static let computedLocallyTag: JSONValue = [
        "system": .string(CodeSystem.recommendationOrigin), "code": "computed-locally",
        "display": "Calculé par Carnet (calendrier vaccinal 2025)",
    ]

    private func computeLocally(carnet: RecordID, birth: CivilDate, history: [JSONValue], request: ForecastRequest)
        -> JSONValue
    {
        let doses: [AdministeredDose] = history.compactMap { immunization in
            guard immunization["resourceType"] == "Immunization",
                immunization["status"]?.stringValue ?? "completed" == "completed",
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
        let assessment = request.assessmentDate ?? today()
        return RecommendationEngine(catalogue: catalogue.current).immunizationRecommendation(
            birthDate: birth, assessmentDate: assessment, history: doses,
            patientReference: "Patient/" + carnet.value, context: request.context)
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

    /// The ValueSet as UTF-8 JSON text (what `carnet_vaccines_search` returns), entries from
    /// the per-catalogue cache.
    public func searchVaccines(_ query: String, limit: Int = 20) -> [UInt8] {
        let current = catalogue.current
        let indices = current.searchIndices(query, limit: max(1, min(limit, 100)))
        let timestamp = Timestamps.instant(Clock.nowSeconds())
        return VaccineValueSet.expansionUTF8(
            filter: query, timestamp: timestamp, serializedEntries: searchEntries.entries(of: indices, in: current))
    }
}
