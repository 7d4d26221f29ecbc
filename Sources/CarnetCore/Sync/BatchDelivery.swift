internal import CarnetJSON
internal import CarnetWire

/// Outbox items delivered together as one FHIR `batch` Bundle (`POST [base]`), when the service's
/// CapabilityStatement offers `batch` (docs/sync.md, "Batches").
///
/// Each entry is exactly the request the item would send alone — the conditional create on the
/// host's identifier, the update conditioned on the version last seen, the delete — so each
/// entry's outcome is applied exactly as that request's answer would be (delivered, retried with
/// backoff, blocked as the record's own fault). Entries of a batch are independent and a service
/// may run them in any order, so a batch holds at most one item per vaccination, and only items
/// whose request is known without asking the service first (an update or remove whose remote id
/// this store has learnt; the rest go alone).
enum BatchDelivery {
    static let maxEntries = 100
    static let maxBytes = 1 << 20
    /// What an entry adds to its resource: request line, identifiers, the Bundle's own keys.
    static let entryOverhead = 512

    /// The run of items at the start of `items` that can travel in one batch (possibly one item
    /// or none: the caller then sends it alone), each with its row as read here (nil: gone), so
    /// the batch is built from the very rows that decided the grouping, read once.
    static func group(_ items: ArraySlice<OutboxItem>, store: VaccinationStore) throws(CarnetFailure)
        -> [(item: OutboxItem, row: VaccinationRow?)]
    {
        var group: [(item: OutboxItem, row: VaccinationRow?)] = []
        var vaccinations = Set<String>()
        var bytes = 0
        for item in items {
            let key = item.patientID + "\u{1F}" + item.hostID
            guard group.count < maxEntries, !vaccinations.contains(key) else { break }
            let row = try store.vaccination(patientID: item.patientID, hostID: item.hostID)
            if item.operation != .add {
                guard let row, row.remoteID != nil else { break }
                if item.operation == .update, row.state != .updating, row.state != .pending { break }
            }
            let size = (row?.encodedSize ?? 0) + entryOverhead
            guard group.isEmpty || bytes + size <= maxBytes else { break }
            bytes += size
            vaccinations.insert(key)
            group.append((item, row))
        }
        return group
    }

    /// Whether a CapabilityStatement declares the `batch` interaction.
    static func offered(by capabilityStatement: JSONValue) -> Bool {
        for rest in capabilityStatement["rest"]?.arrayValue ?? [] {
            for interaction in rest["interaction"]?.arrayValue ?? [] where interaction["code"] == "batch" {
                return true
            }
        }
        return false
    }
}

extension Pusher {
    /// A group ready to go: the Bundle of the items whose row is still there, and the results of
    /// those whose row is gone (nothing to send: dropped, fulfilled).
    struct PreparedBatch: Sendable {
        /// The entries' answers, or the failure of the whole exchange.
        typealias Outcome = Result<[JSONValue], CarnetFailure>

        var results: [(OutboxItem, CarnetFailure?)] = []
        var sent: [(item: OutboxItem, row: VaccinationRow)] = []
        var bundle: JSONValue = .null
    }

    /// Sends `group` as one batch and applies each entry's outcome; returns each item's failure
    /// (nil: delivered). A failure of the whole exchange (network, 5xx, 429, a malformed answer)
    /// is every item's, as a single request's would be; a service that turns out not to take the
    /// Bundle (400, 404, 405, 501) gets the items one by one.
    func pushBatch(
        _ group: [(item: OutboxItem, row: VaccinationRow?)], into done: inout Completions
    ) throws(CarnetFailure) -> [(OutboxItem, CarnetFailure?)] {
        let batch = try prepareBatch(group)
        guard !batch.sent.isEmpty else { return batch.results }
        return try finishBatch(batch, Pusher.exchangeBatch(batch.bundle, entries: batch.sent.count, over: connection),
                               into: &done)
    }

    /// The Bundle of `group`; the items whose row is gone are dropped here, without sending.
    func prepareBatch(_ group: [(item: OutboxItem, row: VaccinationRow?)]) throws(CarnetFailure) -> PreparedBatch {
        var batch = PreparedBatch()
        var entries: [JSONValue] = []
        for (item, row) in group {
            guard let row else {
                try store.dropWithoutSending(item)  // the row is gone: nothing to send
                batch.results.append((item, nil))
                continue
            }
            entries.append(entry(for: item, row: row))
            batch.sent.append((item, row))
        }
        batch.bundle = ["resourceType": "Bundle", "type": "batch", "entry": .array(entries)]
        return batch
    }

    /// The exchange alone, without the store (it may run on a thread of its own: ExchangePipeline):
    /// each entry's answer, in order, or the failure of the whole exchange.
    static func exchangeBatch(
        _ bundle: JSONValue, entries count: Int, over connection: ServiceConnection
    ) -> PreparedBatch.Outcome {
        do throws(CarnetFailure) {
            // Each entry's id and version come back in its `response.location`: the resources
            // themselves would double what the service serialises and this client parses.
            let answer = try connection.send(
                .post, "", body: bundle, headers: [(WireHeader.prefer, WireHeader.returnMinimal)], expect: [200])
            let reply = try connection.resource(answer, type: "Bundle")
            guard reply["type"] == "batch-response", let list = reply["entry"]?.arrayValue, list.count == count
            else {
                throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
            }
            return .success(list)
        } catch {
            return .failure(error)
        }
    }

    /// Applies the answer of a prepared batch: each entry's outcome, or the whole exchange's
    /// failure for every item (one by one instead when the service refused the Bundle itself).
    func finishBatch(
        _ batch: PreparedBatch, _ outcome: PreparedBatch.Outcome, into done: inout Completions
    ) throws(CarnetFailure) -> [(OutboxItem, CarnetFailure?)] {
        var results = batch.results
        switch outcome {
        case .failure(let error):
            if error.kind == .storage || error.kind == .internalError { throw error }
            if error.domain == .http, [400, 404, 405, 501].contains(error.code) {
                logger.log(.info, "the service refused a batch (HTTP \(error.code)): sending one by one")
                for (item, _) in batch.sent { results.append((item, try pushSingle(item, into: &done))) }
                return results
            }
            return results + batch.sent.map { ($0.item, error) }
        case .success(let responses):
            for (index, (item, row)) in batch.sent.enumerated() {
                results.append((item, try apply(responses[index], of: item, row: row, into: &done)))
            }
            return results
        }
    }

    /// The request `item` would send alone, as a batch entry.
    private func entry(for item: OutboxItem, row: VaccinationRow) -> JSONValue {
        switch item.operation {
        case .add:
            let condition = "identifier=" + URLEncoding.component(scope.system + "|" + row.hostID)
            return [
                "request": ["method": "POST", "url": "Immunization", "ifNoneExist": .string(condition)],
                "resource": wireResource(row),
            ]
        case .update:
            let id = row.remoteID ?? ""
            var resource = wireResource(row)
            resource["id"] = .string(id)
            var request: JSONValue = ["method": "PUT", "url": .string("Immunization/" + URLEncoding.component(id))]
            if let version = row.remoteVersion { request["ifMatch"] = .string("W/\"\(version)\"") }
            return ["request": request, "resource": resource]
        case .remove:
            let id = row.remoteID ?? ""
            return ["request": ["method": "DELETE", "url": .string("Immunization/" + URLEncoding.component(id))]]
        }
    }

    /// One entry's `response`, applied as the single request's answer would be.
    private func apply(
        _ entry: JSONValue, of item: OutboxItem, row: VaccinationRow, into done: inout Completions
    ) throws(CarnetFailure) -> CarnetFailure? {
        let statusText = entry["response"]?["status"]?.stringValue ?? ""
        guard let status = Int(statusText.prefix(3)), (100...599).contains(status) else {
            return CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.unexpectedStatus))
        }
        guard (200...299).contains(status) else {
            switch (item.operation, status) {
            case (.remove, 404), (.remove, 410):
                done.removes.append(item)  // already deleted: the wish is fulfilled
                return nil
            case (.update, 409), (.update, 412):
                // Possibly this very update, applied before an answer was lost: the single path
                // reads the service's version and compares (Pusher.pushUpdate).
                return try pushSingle(item, into: &done)
            default:
                let outcome = entry["response"]?["outcome"].map { $0.serializedUTF8() } ?? []
                return ServiceFailures.map(HTTPResponse(status: status, headers: [], body: outcome))
            }
        }
        switch item.operation {
        case .remove:
            done.removes.append(item)
            return nil
        case .add, .update:
            let delivered: (id: String, version: Int64)
            do throws(CarnetFailure) {
                delivered = try Pusher.delivered(entry)
            } catch {
                return error
            }
            let delivery = Delivery(item: item, remoteID: delivered.id, version: delivered.version)
            if item.operation == .add { done.adds.append(delivery) } else { done.updates.append(delivery) }
            return nil
        }
    }

    /// The id and version of what an entry wrote: its resource, or (`Prefer: return=minimal`)
    /// its `location` (`Immunization/<id>/_history/<version>`), the version from `etag`
    /// (`W/"<version>"`) when the location has none.
    static func delivered(_ entry: JSONValue) throws(CarnetFailure) -> (id: String, version: Int64) {
        if let resource = entry["resource"], resource["resourceType"] == "Immunization" {
            return try identity(of: resource)
        }
        if let written = written(
            location: entry["response"]?["location"]?.stringValue, eTag: entry["response"]?["etag"]?.stringValue)
        {
            return written
        }
        throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
    }

    /// The id and version a write's `Location` (`[base/]Immunization/<id>[/_history/<version>]`)
    /// and `ETag` say, for an answer without its resource; nil when the location names no
    /// Immunization. The version is the location's, else the ETag's, else 1.
    static func written(location: String?, eTag: String?) -> (id: String, version: Int64)? {
        // Split on UTF-8 bytes: every pushed item goes through here.
        let parts = (location ?? "").utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        guard let at = parts.firstIndex(of: "Immunization"), at + 1 < parts.count else { return nil }
        let id = String(parts[at + 1])
        guard !id.isEmpty, id.utf8.count <= 64 else { return nil }
        let fromLocation = at + 3 < parts.count && parts[at + 2] == "_history" ? Int64(parts[at + 3]) : nil
        return (id, fromLocation ?? eTag.flatMap(versionOf(eTag:)) ?? 1)
    }

    /// `W/"3"` or `"3"` → 3.
    static func versionOf(eTag: String) -> Int64? {
        var text = Substring(eTag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        guard text.count >= 3, text.first == "\"", text.last == "\"" else { return nil }
        return Int64(text.dropFirst().dropLast())
    }
}
