public import CarnetJSON

/// "Many at once": the host records a patient's vaccinations in one call (the whole EHR history
/// right after creating or claiming the carnet, a vaccination centre's day). Every valid item is
/// durable in one transaction (one fsync, not one per item), then the outbox is pushed (in
/// batches when the service takes them); each item has its own result.
public struct RecordedVaccinations: Sendable {
    /// `{"results": [each item's state document, as carnet_vaccination_add's, with its `index`
    /// and `result` (the status its own add would have returned; `field` when the document was at
    /// fault)], "delivered": n, "pending": n, "refused": n}`, results in the order given.
    public let document: JSONValue
    /// The first item refused (invalid, recorded with other content, refused by the service).
    public let firstRefusal: CarnetFailure?
    /// The reason the first pending item waits, when none was refused.
    public let firstPending: CarnetFailure?

    /// More items than this in one call is refused whole: a host splits its history.
    public static let maxItems = 1000
}

extension CarnetClient {
    /// `immunizations`: a JSON array of FHIR Immunizations, or a Bundle whose entries'
    /// `resource` are. Each is checked as carnet_vaccination_add checks one.
    public func addVaccinations(
        patientID: HostPatientID, immunizations: JSONValue
    ) throws(CarnetFailure) -> RecordedVaccinations {
        let documents: [JSONValue]
        if let array = immunizations.arrayValue {
            documents = array
        } else if immunizations["resourceType"] == "Bundle" {
            documents = (immunizations["entry"]?.arrayValue ?? []).map { $0["resource"] ?? .null }
        } else {
            throw .invalidArgument(.wrongResourceType("immunizations_json", expected: "Bundle"))
        }
        guard !documents.isEmpty else { throw .invalidArgument(.emptyArgument("immunizations_json")) }
        guard documents.count <= RecordedVaccinations.maxItems else {
            throw .invalidArgument(.invalidField("immunizations_json", reason: .outOfRange))
        }
        // Something that is no resource at all is a wrong document, not one bad item among good.
        guard documents.allSatisfy({ $0.objectValue != nil }) else {
            throw .invalidArgument(.wrongResourceType("immunizations_json", expected: "Immunization"))
        }
        let carnet = try linkedRecord(patientID)
        // Each item's fate, in order: refused before recording, or recorded (index into `valid`).
        var invalid: [Int: (hostID: String?, failure: CarnetFailure)] = [:]
        var valid: [(index: Int, hostID: String, resource: JSONValue)] = []
        var seen = Set<String>()
        let today = configuration.today()
        for (index, document) in documents.enumerated() {
            do throws(CarnetFailure) {
                let (hostID, resource) = try ImmunizationDocument.validatedForAdd(
                    document, today: today, catalogue: catalogue.current)
                guard seen.insert(hostID).inserted else {
                    // The same host id twice in one call: the first is recorded, this one is not.
                    throw CarnetFailure(.conflict, domain: .validation, message: .recordedWithOtherContent)
                }
                valid.append((index, hostID, resource))
            } catch {
                invalid[index] = (document["identifier"]?[0]?["value"]?.stringValue, error)
            }
        }
        var recorded: [String] = []
        if !valid.isEmpty {
            let results = try vaccinations.recordAdds(
                patient: patientID, carnet: carnet, items: valid.map { ($0.hostID, $0.resource) })
            for (item, result) in zip(valid, results) {
                switch result {
                case .success: recorded.append(item.hostID)
                case .failure(let failure): invalid[item.index] = (item.hostID, failure)
                }
            }
        }
        let outcomes = recorded.isEmpty ? [] : syncEngine.deliver(
            patient: patientID, hostIDs: recorded, token: cancellation.token())
        var byHostID: [String: ChangeOutcome] = [:]
        for (hostID, outcome) in zip(recorded, outcomes) { byHostID[hostID] = outcome }

        let locale = configuration.locale
        var results: [JSONValue] = []
        var delivered = 0, pending = 0, refused = 0
        var firstRefusal: CarnetFailure?, firstPending: CarnetFailure?
        for (index, document) in documents.enumerated() {
            if let (hostID, failure) = invalid[index] {
                refused += 1
                if firstRefusal == nil { firstRefusal = failure }
                var item: JSONValue = [
                    "index": .number(String(index)), "state": "not_recorded", "result": .string(failure.kind.cName),
                    "status": .string(failure.kind.cName), "message": .string(failure.message.text(locale)),
                ]
                if let hostID { item["host_vaccination_id"] = .string(hostID) }
                if let field = failure.field { item["field"] = .string(field) }
                results.append(item)
                continue
            }
            let hostID = document["identifier"]?[0]?["value"]?.stringValue ?? ""
            guard let outcome = byHostID[hostID] else { continue }
            var item = outcome.document
            item["index"] = .number(String(index))
            switch outcome {
            case .delivered:
                delivered += 1
                item["result"] = "CARNET_OK"
            case .pending(_, let reason):
                pending += 1
                if firstPending == nil { firstPending = reason }
                item["result"] = "CARNET_PENDING"
            case .refused(_, let reason):
                refused += 1
                if firstRefusal == nil { firstRefusal = reason }
                item["result"] = .string(reason.kind.cName)
            }
            results.append(item)
        }
        return RecordedVaccinations(
            document: [
                "results": .array(results), "delivered": .number(String(delivered)),
                "pending": .number(String(pending)), "refused": .number(String(refused)),
            ],
            firstRefusal: firstRefusal, firstPending: firstRefusal == nil ? firstPending : nil)
    }
}
