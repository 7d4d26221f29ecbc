public import CarnetJSON
internal import CarnetCatalogue
internal import CarnetWire

/// Vaccinations: what the carnet holds ("Exporter les vaccins cochés"), which
/// of them the host imported, and every add or remove the doctor makes
/// ("chaque ajout ... conduit à l'ajout automatique ... idem pour la suppression").
extension CarnetClient {
    /// Records the host's vaccination durably, then pushes it at once. The
    /// host's vaccination id is `identifier[0].value`; adding the same id
    /// twice records nothing new.
    public func addVaccination(
        patientID: HostPatientID, immunization: JSONValue
    ) throws(CarnetFailure)
        -> ChangeOutcome
    {
        try recordAndDeliver(.add, patientID: patientID, immunization: immunization)
    }

    /// Records a correction of a vaccination (lot, date, product, site...) durably, then pushes it
    /// at once, as an update conditioned on the version last seen: an edit made elsewhere in the
    /// meantime is refused as a conflict for the host to look at, never overwritten. With a practice
    /// id, a vaccination recorded on another workstation of the practice is corrected too.
    public func updateVaccination(
        patientID: HostPatientID, immunization: JSONValue
    ) throws(CarnetFailure)
        -> ChangeOutcome
    {
        try recordAndDeliver(.update, patientID: patientID, immunization: immunization)
    }

    /// An add and an update differ only in what the store records (docs/sync.md, "Corrections").
    private func recordAndDeliver(
        _ operation: OutboxOperation, patientID: HostPatientID, immunization: JSONValue
    ) throws(CarnetFailure) -> ChangeOutcome {
        let (hostID, resource) = try ImmunizationDocument.validatedForAdd(
            immunization, today: configuration.today(), catalogue: catalogue.current)
        let carnet = try linkedRecord(patientID)
        if operation == .update {
            _ = try vaccinations.recordUpdate(patient: patientID, carnet: carnet, hostID: hostID, resource: resource)
        } else {
            _ = try vaccinations.recordAdd(patient: patientID, carnet: carnet, hostID: hostID, resource: resource)
        }
        return syncEngine.deliver(patient: patientID, hostID: hostID, token: cancellation.token())
    }

    /// Records the removal durably, then pushes it at once. A vaccination
    /// still waiting to be sent is simply cancelled: nothing is sent.
    public func removeVaccination(
        patientID: HostPatientID, hostVaccinationID: String
    ) throws(CarnetFailure)
        -> ChangeOutcome
    {
        let hostID = try ImmunizationDocument.validatedHostID(hostVaccinationID, argumentName: "host_vaccination_id")
        // With a practice id, an id this workstation never saw may be another workstation's.
        let carnet = configuration.practiceID == nil ? nil : try linkedRecord(patientID)
        switch try vaccinations.recordRemove(patient: patientID, hostID: hostID, unknownOnCarnet: carnet) {
        case .cancelledBeforeSending, .confirmedRemoteDeletion:
            return .delivered(ChangeOutcome.document(hostID: hostID, stateName: "removed"))
        case .queued:
            return syncEngine.deliver(patient: patientID, hostID: hostID, token: cancellation.token())
        }
    }

    /// The carnet's vaccinations as a FHIR searchset Bundle. Entries the host
    /// already has (in this store, or recorded under the practice's scope on any
    /// workstation) carry the host's id in an extension. With the service unreachable
    /// (or none configured), the store's copy of the carnet, tagged `offline`
    /// (docs/recommendations.md, "Offline").
    public func listVaccinations(patientID: HostPatientID) throws(CarnetFailure) -> JSONValue {
        let carnet = try linkedRecord(patientID)
        guard configuration.serviceURL != nil else { return try offlineVaccinations(carnet: carnet, failure: nil) }
        let connection = syncEngine.connection(cancellation.token())
        let resources: [JSONValue]
        do throws(CarnetFailure) {
            resources = try connection.immunizations(of: carnet.value)
        } catch where CarnetClient.isUnreachable(error) {
            return try offlineVaccinations(carnet: carnet, failure: error)
        }
        var entries: [JSONValue] = []
        for resource in resources {
            guard let id = resource["id"]?.stringValue else { continue }
            var item: JSONValue = ["fullUrl": .string("Immunization/" + id), "resource": named(resource)]
            if let hostID = try vaccinations.hostID(forRemote: id) ?? syncEngine.scope.hostID(of: resource) {
                item["extension"] = [
                    ["url": .string(WireDefinition.hostVaccinationIDExtension), "valueString": .string(hostID)]
                ]
            }
            entries.append(item)
        }
        return [
            "resourceType": "Bundle", "type": "searchset", "total": .number(String(entries.count)),
            "entry": .array(entries),
        ]
    }

    /// The listing from the store's copy: the host's vaccinations (with their host id) and those
    /// recorded elsewhere that sync brought, in the shape of the service's listing.
    private func offlineVaccinations(carnet: RecordID, failure: CarnetFailure?) throws(CarnetFailure) -> JSONValue {
        var entries: [JSONValue] = []
        for item in try store.localVaccinations(of: carnet) {
            // The host's own as the service holds them (Pusher.wireResource): scoped identifier,
            // the carnet as patient.
            var resource = item.resource
            if let hostID = item.hostID {
                resource["identifier"] = [["system": .string(syncEngine.scope.system), "value": .string(hostID)]]
            }
            resource["patient"] = ["reference": .string("Patient/" + carnet.value)]
            if let remote = item.remoteID { resource["id"] = .string(remote) }
            var entry: JSONValue = ["resource": named(resource)]
            if let remote = item.remoteID { entry["fullUrl"] = .string("Immunization/" + remote) }
            if let hostID = item.hostID {
                entry["extension"] = [
                    ["url": .string(WireDefinition.hostVaccinationIDExtension), "valueString": .string(hostID)]
                ]
            }
            entries.append(entry)
        }
        // No empty meta or tag: without a service (nothing was unreachable)
        // there is no offline tag, and before any sync no as-of date.
        var meta = JSONObject()
        if failure != nil { meta["tag"] = [CarnetClient.offlineTag] }
        if let seconds = try store.lastPullAt() {
            meta["extension"] = [
                ["url": .string(CarnetClient.localCopyAsOfExtension), "valueDateTime": .string(Timestamps.instant(seconds))]
            ]
        }
        var bundle: JSONValue = ["resourceType": "Bundle", "type": "searchset"]
        if !meta.isEmpty { bundle["meta"] = .object(meta) }
        bundle["total"] = .number(String(entries.count))
        bundle["entry"] = .array(entries)  // as the service's listing has it, even empty
        return bundle
    }

    /// Records which remote vaccinations the host imported (under which host
    /// ids) and which it chose to ignore, so sync neither proposes them again
    /// nor pushes them back. `mapping`: {"imported": [{"immunization_id":
    /// "...", "host_vaccination_id": "..."}], "ignored": ["immunization_id", ...]}.
    public func acceptVaccinations(patientID: HostPatientID, mapping: JSONValue) throws(CarnetFailure) -> JSONValue {
        guard mapping.objectValue != nil else { throw .invalidArgument(.invalidJSON("mapping_json")) }
        var imported: [(remote: String, host: String)] = []
        for item in mapping["imported"]?.arrayValue ?? [] {
            guard let remote = item["immunization_id"]?.stringValue, !remote.isEmpty, remote.utf8.count <= 64 else {
                throw .invalidArgument(.invalidField("imported.immunization_id", reason: .unknownValue))
            }
            let host = try ImmunizationDocument.validatedHostID(
                item["host_vaccination_id"]?.stringValue ?? "",
                argumentName: "imported.host_vaccination_id")
            imported.append((remote, host))
        }
        var ignored: [String] = []
        for item in mapping["ignored"]?.arrayValue ?? [] {
            guard let remote = item.stringValue, !remote.isEmpty, remote.utf8.count <= 64 else {
                throw .invalidArgument(.invalidField("ignored", reason: .unknownValue))
            }
            ignored.append(remote)
        }
        guard !imported.isEmpty || !ignored.isEmpty else { throw .invalidArgument(.missingArgument("imported")) }
        let carnet = try linkedRecord(patientID)
        // Imported straight from carnet_vaccinations_list (no sync proposed it yet): the service
        // says what it is, and whether it is in this carnet at all — an id that is not is
        // NOT_FOUND, never an empty vaccination recorded as the host's.
        var fetched: [String: (resource: JSONValue, version: Int64)] = [:]
        let connection = syncEngine.connection(cancellation.token())
        for (remote, _) in imported where try !vaccinations.knows(remoteID: remote) {
            let answer: ServiceConnection.Answer
            do throws(CarnetFailure) {
                answer = try connection.send(.get, "Immunization/" + URLEncoding.component(remote), expect: [200])
            } catch  where error.kind == .notFound {
                throw CarnetFailure(
                    .notFound, domain: .validation,
                    message: .invalidField("imported.immunization_id", reason: .unknownValue))
            }
            let resource = try connection.resource(answer, type: "Immunization")
            guard resource["patient"]?["reference"]?.stringValue == "Patient/" + carnet.value else {
                throw CarnetFailure(
                    .notFound, domain: .validation,
                    message: .invalidField("imported.immunization_id", reason: .unknownValue))
            }
            fetched[remote] = (resource, resource["meta"]?["versionId"]?.stringValue.flatMap { Int64($0) } ?? 1)
        }
        try vaccinations.accept(
            patient: patientID, carnet: carnet, imported: imported, ignored: ignored,
            fetched: fetched)
        return ["imported": .number(String(imported.count)), "ignored": .number(String(ignored.count))]
    }
}

/// What an Immunization from the host must hold, checked before it is
/// recorded: the host's id, a vaccine code, a date.
enum ImmunizationDocument {
    static func validatedHostID(_ text: String, argumentName: String) throws(CarnetFailure) -> String {
        guard !text.isEmpty else { throw .invalidArgument(.missingArgument(argumentName)) }
        guard text.utf8.count <= 128 else { throw .invalidArgument(.argumentTooLong(argumentName, maxBytes: 128)) }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidArgument(.invalidField(argumentName, reason: .unknownValue))
        }
        return text
    }

    /// Also what a document written by another system needs before it is recorded (never queued to
    /// be refused by the service later): a CIS coding, or one derived from its NUVA, CIP13, CVX or
    /// ATC codings when they name exactly one product (added, the originals kept); and no other
    /// person's data — `contained` resources (the NHS examples carry a whole Patient) and the
    /// performers that point into them are dropped, never forwarded; `patient` is always the
    /// carnet's (set when pushed).
    /// `today`: the workstation's civil date; a vaccination dated after it is refused at once.
    static func validatedForAdd(_ value: JSONValue, today: CivilDate, catalogue: VaccineCatalogue = .builtIn)
        throws(CarnetFailure) -> (hostID: String, resource: JSONValue)
    {
        guard var object = value.objectValue else { throw .invalidArgument(.invalidJSON("immunization_json")) }
        guard object["resourceType"] == "Immunization" else {
            throw .invalidArgument(.wrongResourceType("immunization_json", expected: "Immunization"))
        }
        guard let hostValue = object["identifier"]?[0]?["value"]?.stringValue else {
            throw .invalidArgument(.missingImmunizationField("identifier[0].value"))
        }
        let hostID = try validatedHostID(hostValue, argumentName: "identifier[0].value")
        let codings = object["vaccineCode"]?["coding"]?.arrayValue ?? []
        guard
            codings.contains(where: {
                ($0["code"]?.stringValue.map { !$0.isEmpty } ?? false) && $0["system"]?.stringValue != nil
            })
        else { throw .invalidArgument(.missingImmunizationField("vaccineCode.coding")) }
        guard let occurrence = object["occurrenceDateTime"]?.stringValue else {
            throw .invalidArgument(.missingImmunizationField("occurrenceDateTime"))
        }
        guard occurrence.utf8.count >= 10, let date = CivilDate(occurrence.prefix(10)) else {
            throw .invalidArgument(.invalidDate("occurrenceDateTime"))
        }
        guard date <= today else { throw .invalidArgument(.dateInFuture("occurrenceDateTime")) }
        if !codings.contains(where: { $0["system"]?.stringValue == CodeSystem.cis }) {
            let parsed = codings.compactMap { coding -> VaccineCoding? in
                guard let system = coding["system"]?.stringValue, let code = coding["code"]?.stringValue else {
                    return nil
                }
                return VaccineCoding(system: system, code: code, display: coding["display"]?.stringValue)
            }
            switch catalogue.deriveCIS(codings: parsed, text: object["vaccineCode"]?["text"]?.stringValue) {
            case .derived(let cis, let product, _):
                let derived: JSONValue = ["system": .string(CodeSystem.cis), "code": .string(cis),
                                          "display": .string(product.name)]
                object["vaccineCode"]?["coding"] = .array([derived] + codings)
            case .ambiguous(let candidates):
                throw .invalidArgument(.vaccineNotIdentified(candidates: candidates.map(\.name)))
            }
        }
        object["contained"] = nil
        if let performers = object["performer"]?.arrayValue {
            let kept = performers.filter { !($0["actor"]?["reference"]?.stringValue?.hasPrefix("#") ?? false) }
            object["performer"] = kept.isEmpty ? nil : .array(kept)
        }
        if object["status"] == nil { object["status"] = "completed" }
        object["id"] = nil
        object["meta"] = nil
        return (hostID, .object(object))
    }
}
