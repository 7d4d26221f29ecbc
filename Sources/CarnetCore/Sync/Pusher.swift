public import CarnetJSON

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
    let client: CarnetClient
    let token: Cancellation.Token

    struct Report {
        var pushed = 0
        /// The first failure that stopped the round, if any (transient or credentials).
        var stoppedBy: CarnetFailure?
        /// Failures that blocked individual items.
        var blocked: [(hostID: String, failure: CarnetFailure)] = []
    }

    static let identifierSystemPrefix = "urn:carnet:host-vaccination:"

    func push(patient: HostPatientID?, dueOnly: Bool) throws(CarnetFailure) -> Report {
        var report = Report()
        var items = try client.store.outboxItems(patient: patient, dueOnly: dueOnly, limit: Pusher.pageSize)
        guard !items.isEmpty else { return report }
        // The service asked us to wait (Retry-After): nothing is sent before then, even in the
        // foreground (a doctor's add or sync); the items simply stay pending.
        if let wait = try client.store.serviceWait() {
            report.stoppedBy = wait
            return report
        }
        let system = Pusher.identifierSystemPrefix + (try client.store.installID())
        var pages = 0
        while let last = items.last, pages < Pusher.maxPages {
            pages += 1
            try client.store.markSending(items)
            var done = Completions()
            for (index, item) in items.enumerated() {
                do throws(CarnetFailure) {
                    try token.check()
                    switch item.operation {
                    case .add: try pushAdd(item, system: system, into: &done)
                    case .remove:
                        try done.flush(client.store)  // its row must show the add's remote id
                        try pushRemove(item, into: &done)
                    }
                    report.pushed += 1
                } catch {
                    if error.kind == .storage || error.kind == .internalError {
                        try? done.flush(client.store)
                        throw error
                    }
                    try done.flush(client.store)
                    let blocking = Pusher.blocksItem(error)
                    let attempt = min(max(item.attempts, 0), 1_000_000) + 1  // a tampered store cannot make this trap
                    let next = Clock.nowSeconds() + Backoff.delay(attempts: attempt,
                                                                  retryAfter: error.retryAfterSeconds)
                    try client.store.failAttempt(item, failure: error, message: error.message.text(client.configuration.locale),
                                                 blocked: blocking, nextAttempt: next)
                    if let retryAfter = error.retryAfterSeconds { try client.store.holdService(seconds: retryAfter) }
                    client.logger.log(blocking ? .warning : .info,
                                      "push of one \(item.operation.rawValue) failed: \(error.kind.cName) (attempt \(attempt))")
                    if blocking {
                        report.blocked.append((item.hostID, error))
                        continue
                    }
                    try client.store.unmarkSending(Array(items[(index + 1)...]))
                    report.stoppedBy = error
                    return report
                }
            }
            try done.flush(client.store)
            items = try client.store.outboxItems(patient: patient, dueOnly: dueOnly, after: last.seq, limit: Pusher.pageSize)
        }
        return report
    }

    /// Deliveries of the current page not yet written: committed together, in one relaxed
    /// transaction, at the end of the page, before a remove and before any failure is recorded.
    /// Lost in a crash, they are pushed again (idempotent) rather than counted twice.
    struct Completions {
        var adds: [(item: OutboxItem, remoteID: String, version: Int64)] = []
        var removes: [OutboxItem] = []

        mutating func flush(_ store: LocalStore) throws(CarnetFailure) {
            guard !adds.isEmpty || !removes.isEmpty else { return }
            let (a, r) = (adds, removes)
            adds.removeAll()
            removes.removeAll()
            try store.completeBatch(adds: a, removes: r)
        }
    }

    /// Outbox items read per query, and the most pages one round pushes (10 000 items).
    static let pageSize = 100
    static let maxPages = 100

    /// Failures that retrying cannot fix: the host must act. A malformed or
    /// unexpected answer (protocol violation) is not the record's fault and
    /// the push is idempotent, so it is retried with backoff like a 5xx.
    static func blocksItem(_ failure: CarnetFailure) -> Bool {
        switch failure.kind {
        case .rejected, .conflict, .accessDenied, .invalidArgument, .notFound: return true
        default: return false
        }
    }

    private func pushAdd(_ item: OutboxItem, system: String, into done: inout Completions) throws(CarnetFailure) {
        guard let row = try client.store.vaccination(patientID: item.patientID, hostID: item.hostID) else {
            try client.store.completeRemove(item)  // the row is gone: nothing to send
            return
        }
        var resource = row.resource
        resource["identifier"] = [["system": .string(system), "value": .string(item.hostID)]]
        resource["patient"] = ["reference": .string("Patient/" + row.carnetID)]
        resource["id"] = nil
        resource["meta"] = nil
        let connection = ServiceConnection(client: client, token: token)
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
        done.adds.append((item, id, version))
    }

    private func pushRemove(_ item: OutboxItem, into done: inout Completions) throws(CarnetFailure) {
        guard let row = try client.store.vaccination(patientID: item.patientID, hostID: item.hostID),
              let remoteID = row.remoteID
        else {
            // Never created on the service (its add was refused or cancelled).
            try client.store.dropRemoveOfNeverCreated(item)
            return
        }
        let connection = ServiceConnection(client: client, token: token)
        do {
            _ = try connection.send(.delete, "Immunization/" + URLEncoding.component(remoteID), expect: [200, 202, 204])
        } catch where error.kind == .notFound {
            // Already deleted (by us in a lost answer, or elsewhere): the wish is fulfilled.
        }
        done.removes.append(item)
    }
}

/// Retry delays: exponential from 2 s, capped at one hour, spread uniformly
/// over [raw/2, 3·raw/2] ("equal jitter") so that a practice's workstations do
/// not retry in lockstep — in whole seconds, the store's resolution, which is
/// why the spread is wide enough to matter even for the first retries (1–3 s).
/// A server's Retry-After wins when it asks for longer.
enum Backoff {
    static let base: Int64 = 2
    static let ceiling: Int64 = 3_600

    static func delay(attempts: Int64, retryAfter: Int64?) -> Int64 {
        let exponent = min(max(attempts, 1), 21) - 1  // clamped first: no overflow for any input
        let raw = min(base << exponent, ceiling)
        var spread = raw / 2
        if let bytes = try? KeyProtection.randomBytes(2) {
            let unit = Int64(bytes[0]) << 8 | Int64(bytes[1])  // 0...65535
            spread = (raw + 1) * unit / 65_536                // 0...raw
        }
        return max(raw / 2 + spread, retryAfter ?? 0, 1)
    }
}
