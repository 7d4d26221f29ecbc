internal import CarnetJSON

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

    static let identifierSystemPrefix = "urn:carnet:host-vaccination:"

    /// Outbox items read per query, and the most pages one round pushes (10 000 items).
    static let pageSize = 100
    static let maxPages = 100

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
        let system = Pusher.identifierSystemPrefix + (try store.installID())
        var pages = 0
        while let last = items.last, pages < Pusher.maxPages {
            pages += 1
            try store.markSending(items)
            var done = Completions()
            for (index, item) in items.enumerated() {
                do throws(CarnetFailure) {
                    try connection.token.check()
                    switch item.operation {
                    case .add: try pushAdd(item, system: system, into: &done)
                    case .remove:
                        try done.flush(store)  // its row must show the add's remote id
                        try pushRemove(item, into: &done)
                    }
                    report.pushed += 1
                } catch {
                    if error.kind == .storage || error.kind == .internalError {
                        try? done.flush(store)
                        throw error
                    }
                    try done.flush(store)
                    let blocking = Pusher.blocksItem(error)
                    try record(error, of: item, blocking: blocking)
                    if blocking {
                        report.blocked.append((item.hostID, error))
                        continue
                    }
                    try store.unmarkSending(Array(items[(index + 1)...]))
                    report.stoppedBy = error
                    return report
                }
            }
            try done.flush(store)
            items = try store.outboxItems(patient: patient, dueOnly: dueOnly, after: last.seq, limit: Pusher.pageSize)
        }
        return report
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
        let next = store.now() + Backoff.delay(attempts: attempt, retryAfter: failure.retryAfterSeconds)
        try store.failAttempt(item, failure: failure, message: failure.message.text(locale), blocked: blocking,
                              nextAttempt: next)
        if let retryAfter = failure.retryAfterSeconds { try store.holdService(seconds: retryAfter) }
        logger.log(blocking ? .warning : .info,
                   "push of one \(item.operation.rawValue) failed: \(failure.kind.cName) (attempt \(attempt))")
    }

    /// Deliveries of the current page not yet written: committed together, in one relaxed
    /// transaction, at the end of the page, before a remove and before any failure is recorded.
    /// Lost in a crash, they are pushed again (idempotent) rather than counted twice.
    struct Completions {
        var adds: [DeliveredAdd] = []
        var removes: [OutboxItem] = []

        mutating func flush(_ store: VaccinationStore) throws(CarnetFailure) {
            guard !adds.isEmpty || !removes.isEmpty else { return }
            let (a, r) = (adds, removes)
            adds.removeAll()
            removes.removeAll()
            try store.complete(adds: a, removes: r)
        }
    }

    private func pushAdd(_ item: OutboxItem, system: String, into done: inout Completions) throws(CarnetFailure) {
        guard let row = try store.vaccination(patientID: item.patientID, hostID: item.hostID) else {
            try store.dropWithoutSending(item)  // the row is gone: nothing to send
            return
        }
        var resource = row.resource
        resource["identifier"] = [["system": .string(system), "value": .string(item.hostID)]]
        resource["patient"] = ["reference": .string("Patient/" + row.carnetID)]
        resource["id"] = nil
        resource["meta"] = nil
        // The whole `system|value` token is percent-encoded, the separator included: a raw `|` is
        // not a valid URI character, and a server that sees one may skip percent-decoding
        // (carnet-sandbox did: the retried create then missed its match and answered 409).
        let condition = "identifier=" + URLEncoding.component(system + "|" + item.hostID)
        let answer = try connection.send(.post, "Immunization", body: resource,
                                         headers: [("If-None-Exist", condition)], expect: [200, 201])
        let created = try connection.resource(answer, type: "Immunization")
        guard let id = created["id"]?.stringValue, !id.isEmpty, id.utf8.count <= 64 else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        let version = created["meta"]?["versionId"]?.stringValue.flatMap { Int64($0) } ?? 1
        done.adds.append(DeliveredAdd(item: item, remoteID: id, version: version))
    }

    private func pushRemove(_ item: OutboxItem, into done: inout Completions) throws(CarnetFailure) {
        guard let row = try store.vaccination(patientID: item.patientID, hostID: item.hostID),
              let remoteID = row.remoteID
        else {
            // Never created on the service (its add was refused or cancelled).
            try store.dropWithoutSending(item)
            return
        }
        do {
            _ = try connection.send(.delete, "Immunization/" + URLEncoding.component(remoteID),
                                    expect: [200, 202, 204])
        } catch where error.kind == .notFound {
            // Already deleted (by us in a lost answer, or elsewhere): the wish is fulfilled.
        }
        done.removes.append(item)
    }
}
