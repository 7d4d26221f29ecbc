internal import CarnetJSON
internal import CarnetWire

/// Delivers the outbox to the service, oldest first.
///
/// Every push is idempotent on the service, so at-least-once delivery gives
/// exactly-once effects: an add is a conditional create on the vaccination's
/// identifier (`If-None-Exist`), a remove of something already gone is a
/// success. A transient failure (network, timeout, 5xx, 429) stops the round
/// and schedules a retry with exponential backoff; a failure that is the
/// record's own (422, conflict) or an access revoked blocks that item for the
/// host to see, once, and the round goes on.
struct Pusher {
    let store: VaccinationStore
    let connection: ServiceConnection
    let scope: HostIDScope
    let logger: Logger
    /// The language of the message stored with a failed attempt (shown by `carnet_outbox_status`).
    let locale: UserMessage.Locale

    struct Report {
        var pushed = 0
        /// The first failure that stopped the round, if any (transient or credentials).
        var stoppedBy: CarnetFailure?
        /// Failures that blocked individual items.
        var blocked: [(hostID: String, failure: CarnetFailure)] = []
    }

    /// Outbox items read per query, and the most pages one round pushes (10 000 items).
    static let pageSize = 100
    static let maxPages = 100

    /// Whether the service takes `batch` Bundles (its CapabilityStatement says so), asked only
    /// when a page holds two items or more: a group of independent items then travels in one
    /// request (BatchDelivery.swift).
    /// Throws when the service could not be asked (network, 5xx...): the round stops there, as it
    /// would at its first request.
    var batchingOffered: () throws(CarnetFailure) -> Bool = { false }

    func push(patient: HostPatientID?, dueOnly: Bool) throws(CarnetFailure) -> Report {
        var report = Report()
        var items = try store.outboxItems(patient: patient, dueOnly: dueOnly, limit: Pusher.pageSize)
        guard !items.isEmpty else { return report }
        // The service asked us to wait (Retry-After): nothing is sent before then, even in the
        // foreground (a doctor's add or sync); the items simply stay pending.
        if let wait = try store.serviceWait() {
            report.stoppedBy = wait
            return report
        }
        var done = Completions()
        // Asked at the first page: only the last page of a round can hold a single item.
        var batching = false
        if items.count >= 2 {
            do throws(CarnetFailure) {
                batching = try batchingOffered()
            } catch {
                // Counted against the first item, as its own request's failure would be (backoff).
                try store.markSending(items)
                try record(error, of: items[0], blocking: false)
                try store.unmarkSending(Array(items.dropFirst()))
                report.stoppedBy = error
                return report
            }
        }
        // Bundles travel one after the other on one connection (each is one transaction on the
        // service). Single creates are independent: a backlog of them uses up to
        // `singleRequestLanes` connections at once, as a batch would carry them in one request.
        let lanes = batching ? [connection] : Pusher.lanes(of: connection)
        let token = connection.token
        let pipeline = Pipeline(
            lanes: lanes.count, wakeAfter: Pusher.pipelineRefill * lanes.count, failed: { $0.failed },
            mayStart: { !token.isCancelled })
        // Thrown out (the store failing): the exchanges running end first. What they delivered is
        // sent again next round, and the conditional create answers it 200.
        defer { pipeline.finish() }
        var pages = 0
        while let last = items.last, pages < Pusher.maxPages {
            pages += 1
            try store.markSending(items)
            let stop: CarnetFailure?
            // A backlog of adds goes through the pipeline; a doctor's one add (or a last page of
            // one) is sent from this thread: a thread of its own would only add its start-up.
            if items.count >= 2 || pipeline.waiting > 0, items.allSatisfy({ $0.operation == .add }) {
                stop = try submitAdds(
                    items, batching: batching, to: pipeline, lanes: lanes, done: &done, report: &report)
            } else if let drained = try drain(pipeline, keeping: 0, done: &done, report: &report) {
                try store.unmarkSending(items)
                stop = drained
            } else {
                stop = try pushOneByOne(items, batching: batching, done: &done, report: &report)
            }
            if let stop {
                report.stoppedBy = stop
                return report
            }
            items = try store.outboxItems(patient: patient, dueOnly: dueOnly, after: last.seq, limit: Pusher.pageSize)
        }
        report.stoppedBy = try drain(pipeline, keeping: 0, done: &done, report: &report)
        try done.flush(store)
        return report
    }

    /// Units of a backlog submitted and not yet applied: at most `pipelineDepth` per lane; the
    /// pusher then waits for `pipelineRefill` answers per lane, applies them and builds as many
    /// units again. The units still queued meanwhile cover the time it takes to wake up, apply
    /// and build, so no connection waits for the pusher.
    static let pipelineDepth = 8
    static let pipelineRefill = 4

    /// The connections a backlog of single creates may use at once (the first is the one every
    /// call uses). Like a browser's few connections per host: enough to keep requests travelling
    /// while others wait for the service, few enough for a service that counts them.
    static let singleRequestLanes = 4

    /// `connection` and the extra connections of its service, as many as it has (up to
    /// `singleRequestLanes`).
    static func lanes(of connection: ServiceConnection) -> [ServiceConnection] {
        var lanes = [connection]
        while lanes.count < singleRequestLanes, let next = connection.lane(lanes.count) { lanes.append(next) }
        return lanes
    }

    /// A page of adds, through the pipeline: a Bundle per group when the service takes them, else
    /// one request each. Each unit is read and built while the ones before it travel, and the
    /// answers are applied as they come back. Returns the failure that stops the round (the page's
    /// items not sent are then unmarked).
    private func submitAdds(
        _ items: [OutboxItem], batching: Bool, to pipeline: Pipeline, lanes: [ServiceConnection],
        done: inout Completions, report: inout Report
    ) throws(CarnetFailure) -> CarnetFailure? {
        let depth = Pusher.pipelineDepth * lanes.count, refill = Pusher.pipelineRefill * lanes.count
        var index = 0
        while index < items.count {
            do throws(CarnetFailure) {
                try connection.token.check()
            } catch {
                try store.unmarkSending(Array(items[index...]))
                try windDown(pipeline, done: &done, report: &report)
                throw error
            }
            let unit: PushUnit
            let group = batching ? try BatchDelivery.group(items[index...], store: store) : []
            if group.count >= 2 {
                index += group.count
                let batch = try prepareBatch(group)
                guard !batch.sent.isEmpty else {
                    report.pushed += batch.results.count  // every row gone: nothing to send
                    continue
                }
                unit = .batch(batch)
            } else {
                let item = items[index]
                index += 1
                let row: VaccinationRow?
                if let grouped = group.first {
                    row = grouped.row
                } else {
                    row = try store.vaccination(patientID: item.patientID, hostID: item.hostID)
                }
                guard let row else {
                    try store.dropWithoutSending(item)  // the row is gone: nothing to send
                    report.pushed += 1
                    continue
                }
                unit = .add(item, row, Pusher.createRequest(wireResource(row), of: row, scope: scope).encoded())
            }
            let scope = self.scope
            pipeline.submit(unit) { lane in Pusher.exchange(unit, scope: scope, over: lanes[lane]) }
            if pipeline.waiting >= depth,
                let stop = try drain(pipeline, keeping: depth - refill, done: &done, report: &report)
            {
                try store.unmarkSending(Array(items[index...]))
                return stop
            }
        }
        return nil
    }

    /// Applies the pipeline's answers, oldest first, until at most `depth` units wait. Returns
    /// the failure that stops the round, once every unit that was sent is applied and those not
    /// sent are unmarked.
    private func drain(
        _ pipeline: Pipeline, keeping depth: Int, done: inout Completions, report: inout Report
    ) throws(CarnetFailure) -> CarnetFailure? {
        while pipeline.waiting > depth, let (unit, answer) = pipeline.next() {
            guard let answer else {
                // Never sent: the call was cancelled before it could start.
                try store.unmarkSending(unit.items)
                try windDown(pipeline, done: &done, report: &report)
                try connection.token.check()
                throw .internal("a pipelined exchange was held back without a cancellation")
            }
            if let stop = try settle(unit, answer, done: &done, report: &report) {
                try windDown(pipeline, done: &done, report: &report)
                return stop
            }
            // The failure that halted the pipeline is applied and was the item's own: go on.
            if answer.failed { pipeline.resume() }
            if done.count >= Pusher.pageSize { try done.flush(store) }
        }
        return nil
    }

    /// The round stops: nothing more is sent; what was sent is applied (its deliveries and
    /// failures recorded, a further stop ignored: the first one is reported), the rest unmarked.
    private func windDown(_ pipeline: Pipeline, done: inout Completions, report: inout Report) throws(CarnetFailure) {
        pipeline.halt()
        while let (unit, answer) = pipeline.next() {
            if let answer {
                _ = try settle(unit, answer, done: &done, report: &report)
            } else {
                try store.unmarkSending(unit.items)
            }
        }
        try done.flush(store)
    }

    /// Applies one unit's answer as its requests' own answers would be; returns the failure that
    /// stops the round, if any (the unit's other items have their outcome recorded all the same).
    private func settle(
        _ unit: PushUnit, _ answer: PushAnswer, done: inout Completions, report: inout Report
    ) throws(CarnetFailure) -> CarnetFailure? {
        let results: [(OutboxItem, CarnetFailure?)]
        switch (unit, answer) {
        case (.batch(let batch), .batch(let outcome)):
            results = try finishBatch(batch, outcome, into: &done)
        case (.add(let item, _, _), .add(.success(let written))):
            done.adds.append(Delivery(item: item, remoteID: written.id, version: written.version))
            results = [(item, nil)]
        case (.add(let item, _, _), .add(.failure(let error))):
            if error.kind == .storage || error.kind == .internalError { throw error }
            results = [(item, error)]
        default:
            throw .internal("a pipelined answer does not match its request")
        }
        return try absorb(results, done: &done, report: &report)
    }

    /// A page holding updates or removes: item after item (groups in a Bundle when the service
    /// takes them), each update or remove reading its row after what the page delivered so far.
    private func pushOneByOne(
        _ items: [OutboxItem], batching: Bool, done: inout Completions, report: inout Report
    ) throws(CarnetFailure) -> CarnetFailure? {
        var index = 0
        while index < items.count {
            try connection.token.check()
            // An update or remove needs its row to show what this page delivered so far (its
            // add's remote id), in a batch as alone.
            if items[index].operation != .add { try done.flush(store) }
            let group = batching ? try BatchDelivery.group(items[index...], store: store) : []
            let results: [(OutboxItem, CarnetFailure?)]
            if group.count >= 2 {
                results = try pushBatch(group, into: &done)
            } else {
                results = [(items[index], try pushSingle(items[index], into: &done))]
            }
            index += max(results.count, 1)
            if let stop = try absorb(results, done: &done, report: &report) {
                try done.flush(store)
                try store.unmarkSending(Array(items[min(index, items.count)...]))
                return stop
            }
        }
        try done.flush(store)
        return nil
    }

    /// Counts the delivered items and records each failure (blocking the item when it is its own
    /// fault); returns the first transient failure, which stops the round.
    private func absorb(
        _ results: [(OutboxItem, CarnetFailure?)], done: inout Completions, report: inout Report
    ) throws(CarnetFailure) -> CarnetFailure? {
        var stop: CarnetFailure?
        for (item, failure) in results {
            guard let failure else {
                report.pushed += 1
                continue
            }
            try done.flush(store)
            let blocking = Pusher.blocksItem(failure)
            try record(failure, of: item, blocking: blocking)
            if blocking {
                report.blocked.append((item.hostID, failure))
            } else if stop == nil {
                stop = failure
            }
        }
        return stop
    }

    /// One item in its own request. Returns the service's failure for it (nil: delivered);
    /// throws only what stops everything (the store failing).
    func pushSingle(_ item: OutboxItem, into done: inout Completions) throws(CarnetFailure) -> CarnetFailure? {
        do throws(CarnetFailure) {
            switch item.operation {
            case .add: try pushAdd(item, into: &done)
            case .update: try pushUpdate(item, into: &done)
            case .remove: try pushRemove(item, into: &done)
            }
            return nil
        } catch {
            if error.kind == .storage || error.kind == .internalError {
                try? done.flush(store)
                throw error
            }
            return error
        }
    }

    /// Failures that retrying cannot fix: the host must act. A malformed or
    /// unexpected answer (protocol violation) is not the record's fault and
    /// the push is idempotent, so it is retried with backoff like a 5xx; a
    /// missing configuration (no service address) is fixed by the host, then
    /// retried, so it does not block either.
    static func blocksItem(_ failure: CarnetFailure) -> Bool {
        switch failure.kind {
        case .rejected, .conflict, .accessDenied, .notFound: return true
        default: return false
        }
    }

    /// Counts the attempt, schedules the next one (or blocks the item), and remembers a
    /// Retry-After for the whole store.
    private func record(_ failure: CarnetFailure, of item: OutboxItem, blocking: Bool) throws(CarnetFailure) {
        let attempt = min(max(item.attempts, 0), 1_000_000) + 1  // a tampered store cannot make this trap
        // One second more: the store's clock is in whole seconds, so without it a 1 s delay chosen at
        // 10.95 s was due at 11.0 s, 50 ms later (the background round runs every 100 ms).
        let next = store.now() + Backoff.delay(attempts: attempt, retryAfter: failure.retryAfterSeconds) + 1
        try store.failAttempt(
            item, failure: failure, message: failure.message.text(locale), blocked: blocking,
            nextAttempt: next)
        if let retryAfter = failure.retryAfterSeconds { try store.holdService(seconds: retryAfter) }
        logger.log(
            blocking ? .warning : .info,
            "push of one \(item.operation.rawValue) failed: \(failure.kind.cName) (attempt \(attempt))")
    }

    /// Deliveries of the current page not yet written: committed together, in one relaxed
    /// transaction, at the end of the page, before a remove and before any failure is recorded.
    /// Lost in a crash, they are pushed again (idempotent) rather than counted twice.
    struct Completions {
        var adds: [Delivery] = []
        var updates: [Delivery] = []
        var removes: [OutboxItem] = []

        var count: Int { adds.count + updates.count + removes.count }

        mutating func flush(_ store: VaccinationStore) throws(CarnetFailure) {
            guard !adds.isEmpty || !updates.isEmpty || !removes.isEmpty else { return }
            let (a, u, r) = (adds, updates, removes)
            adds.removeAll()
            updates.removeAll()
            removes.removeAll()
            try store.complete(adds: a, updates: u, removes: r)
        }
    }

    /// The resource as the service gets it: the host's id in the practice's scope, the carnet.
    func wireResource(_ row: VaccinationRow) -> JSONValue {
        var resource = row.resource
        resource["identifier"] = [["system": .string(scope.system), "value": .string(row.hostID)]]
        resource["patient"] = ["reference": .string("Patient/" + row.recordID)]
        resource["id"] = nil
        resource["meta"] = nil
        return resource
    }

    func pushAdd(_ item: OutboxItem, into done: inout Completions) throws(CarnetFailure) {
        guard let row = try store.vaccination(patientID: item.patientID, hostID: item.hostID) else {
            try store.dropWithoutSending(item)  // the row is gone: nothing to send
            return
        }
        let created = try create(row)
        done.adds.append(Delivery(item: item, remoteID: created.id, version: created.version))
    }

    /// The create of `row`, sent now.
    private func create(_ row: VaccinationRow) throws(CarnetFailure) -> (id: String, version: Int64) {
        let request = Pusher.createRequest(wireResource(row), of: row, scope: scope)
        return try Pusher.create(request, of: row, scope: scope, over: connection)
    }

    /// A conditional create on the host's id: 201 the first time, 200 with the existing one after
    /// a lost answer or from another workstation of the practice.
    static func createRequest(_ resource: JSONValue, of row: VaccinationRow, scope: HostIDScope) -> FHIRRequest {
        // The whole `system|value` token is percent-encoded, the separator included: a raw `|` is
        // not a valid URI character, and a server that sees one may skip percent-decoding
        // (carnet-sandbox did: the retried create then missed its match and answered 409).
        let condition = "identifier=" + URLEncoding.component(scope.system + "|" + row.hostID)
        // `return=minimal`: the id and version are in Location and ETag; the resource would only be
        // serialised by the service and parsed here for nothing.
        return FHIRRequest(
            method: .post, path: "Immunization",
            headers: [(WireHeader.ifNoneExist, condition), (WireHeader.prefer, WireHeader.returnMinimal)],
            body: resource)
    }

    /// Sends a create (`createRequest`) and reads where it was written. Static: a pipelined add
    /// runs it on the exchange thread, which never touches the store.
    static func create(
        _ request: FHIRRequest, of row: VaccinationRow, scope: HostIDScope, over connection: ServiceConnection
    ) throws(CarnetFailure) -> (id: String, version: Int64) {
        let answer = try connection.send(request, expect: [200, 201])
        if answer.resource != nil {
            return try Pusher.identity(of: connection.resource(answer, type: "Immunization"))
        }
        let location = answer.response.header(WireHeader.location)
            ?? answer.response.header(WireHeader.contentLocation)
        if let written = Pusher.written(location: location, eTag: answer.response.header(WireHeader.eTag)) {
            return written
        }
        // No body, no Location or Content-Location: FHIR requires none when the condition matched
        // an existing Immunization (200). Ask where it is, by the host's identifier.
        if let found = try locate(row, scope: scope, over: connection) { return found }
        throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
    }

    static func identity(of resource: JSONValue) throws(CarnetFailure) -> (id: String, version: Int64) {
        guard let id = resource["id"]?.stringValue, !id.isEmpty, id.utf8.count <= 64 else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        return (id, resource["meta"]?["versionId"]?.stringValue.flatMap { Int64($0) } ?? 1)
    }

    /// Where a vaccination of the practice is on the service when this store never learnt it
    /// (recorded on another workstation): asked by its identifier (a standard Immunization search
    /// parameter), so one vaccination costs one small answer, not the whole carnet. A service that
    /// refuses that parameter (400) gets the carnet listed and searched here.
    static func locate(
        _ row: VaccinationRow, scope: HostIDScope, over connection: ServiceConnection
    ) throws(CarnetFailure) -> (id: String, version: Int64)? {
        let candidates: [JSONValue]
        do throws(CarnetFailure) {
            candidates = try connection.immunizations(of: row.recordID, identifier: scope.system + "|" + row.hostID)
        } catch  where error.domain == .http && error.code == 400 {
            candidates = try connection.immunizations(of: row.recordID)
        }
        for resource in candidates where scope.hostID(of: resource) == row.hostID {
            return try Pusher.identity(of: resource)
        }
        return nil
    }

    /// A correction: `PUT` conditioned on the version this store last saw (`If-Match`), so an
    /// edit made elsewhere meanwhile is a conflict for the host to see (412 → blocked), never
    /// overwritten. Unknown here (another workstation's): found by its identifier, else created.
    func pushUpdate(_ item: OutboxItem, into done: inout Completions) throws(CarnetFailure) {
        guard let row = try store.vaccination(patientID: item.patientID, hostID: item.hostID),
            row.state == .updating || row.state == .pending
        else {
            try store.dropWithoutSending(item, keepingRow: true)  // removed since, or refused: nothing to update
            return
        }
        var target = row.remoteID.map { (id: $0, version: row.remoteVersion) }
        if target == nil, let found = try Pusher.locate(row, scope: scope, over: connection) {
            target = (found.id, found.version)
        }
        guard let target else {
            let created = try create(row)
            done.updates.append(Delivery(item: item, remoteID: created.id, version: created.version))
            return
        }
        var resource = wireResource(row)
        resource["id"] = .string(target.id)
        var headers: [(String, String)] = []
        if let version = target.version { headers.append((WireHeader.ifMatch, "W/\"\(version)\"")) }
        let path = "Immunization/" + URLEncoding.component(target.id)
        let updated: (id: String, version: Int64)
        do throws(CarnetFailure) {
            let answer = try connection.send(.put, path, body: resource, headers: headers, expect: [200, 201])
            updated = try Pusher.identity(of: connection.resource(answer, type: "Immunization"))
        } catch  where error.kind == .conflict {
            // The retry of an update whose answer was lost: the service moved one version on with
            // exactly this content, so this is delivered, not an edit made elsewhere.
            let current = try connection.resource(
                connection.send(.get, path, expect: [200]), type: "Immunization")
            guard Pusher.sameContent(current, resource) else { throw error }
            updated = try Pusher.identity(of: current)
        }
        done.updates.append(Delivery(item: item, remoteID: updated.id, version: updated.version))
    }

    /// Whether the service's version holds what was sent: the same elements, leaving out what the
    /// service itself sets (id, meta, narrative, who recorded it).
    static func sameContent(_ stored: JSONValue, _ sent: JSONValue) -> Bool {
        func comparable(_ value: JSONValue) -> JSONValue {
            var copy = value
            copy["id"] = nil
            copy["meta"] = nil
            copy["text"] = nil
            let extensions = (value["extension"]?.arrayValue ?? []).filter {
                $0["url"]?.stringValue != WireDefinition.recordedByExtension
            }
            copy["extension"] = extensions.isEmpty ? nil : .array(extensions)
            return copy
        }
        return comparable(stored) == comparable(sent)
    }

    func pushRemove(_ item: OutboxItem, into done: inout Completions) throws(CarnetFailure) {
        guard let row = try store.vaccination(patientID: item.patientID, hostID: item.hostID) else {
            try store.dropWithoutSending(item)
            return
        }
        // Never created from here (its add was refused or cancelled, or another workstation of
        // the practice recorded it): found by its identifier, or there is nothing to delete.
        var remote = row.remoteID
        if remote == nil { remote = try Pusher.locate(row, scope: scope, over: connection)?.id }
        guard let remoteID = remote else {
            try store.dropWithoutSending(item)
            return
        }
        do {
            _ = try connection.send(
                .delete, "Immunization/" + URLEncoding.component(remoteID),
                expect: [200, 202, 204])
        } catch  where error.kind == .notFound {
            // Already deleted (by us in a lost answer, or elsewhere): the wish is fulfilled.
        }
        done.removes.append(item)
    }
}
