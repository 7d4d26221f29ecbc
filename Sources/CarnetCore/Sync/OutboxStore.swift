public import CarnetJSON

/// A change waiting to reach the service.
struct OutboxItem: Sendable {
    enum Operation: String, Sendable { case add, remove }

    let seq: Int64
    let patientID: String
    let hostID: String
    let operation: Operation
    let createdAt: Int64
    let attempts: Int64
}

/// One vaccination the store knows for a patient.
struct VaccinationRow: Sendable {
    let patientID: String
    let hostID: String
    let carnetID: String
    let resource: JSONValue
    let remoteID: String?
    let remoteVersion: Int64?
    let state: String
}

/// What recording an add did.
enum AddOutcome: Sendable {
    case queued
    case alreadyRecorded(state: String)
}

/// What recording a remove did.
enum RemoveOutcome: Sendable {
    case queued
    /// The add had never been sent: both cancel, nothing goes to the service.
    case cancelledBeforeSending
    /// Already deleted on the service; the host confirmed, the row is gone.
    case confirmedRemoteDeletion
}

extension SQLiteConnection {
    /// A transaction whose commit is not flushed to disk by itself (synchronous=NORMAL for this
    /// commit only; the connection stays FULL for everything else). For bookkeeping that is safe
    /// to redo: marking an item delivered, counting an attempt, moving the changes cursor. In WAL
    /// mode the commit is still atomic and ordered: it becomes durable with the next FULL commit
    /// or checkpoint, and a power cut can only roll it back, never corrupt or reorder. This saves
    /// one fsync per pushed item (docs/performance.md); what the host recorded (`recordAdd`,
    /// `recordRemove`) is always committed with its own fsync before the call returns.
    func relaxedTransaction<T>(_ body: () throws(CarnetFailure) -> T) throws(CarnetFailure) -> T {
        try execute("PRAGMA synchronous=NORMAL")
        let result: T
        do {
            result = try transaction(body)
        } catch {
            try execute("PRAGMA synchronous=FULL")
            throw error
        }
        try execute("PRAGMA synchronous=FULL")
        return result
    }
}

/// The outbox and the vaccinations' local state, always changed together in
/// one transaction (so a recorded vaccination is durable before the call
/// returns and its delivery is never forgotten).
extension LocalStore {
    func recordAdd(patient: HostPatientID, carnet: CarnetID, hostID: String, resource: JSONValue) throws(CarnetFailure)
        -> AddOutcome
    {
        try withConnection { db throws(CarnetFailure) -> AddOutcome in
            try db.durableTransaction { () throws(CarnetFailure) -> AddOutcome in
                let now = Clock.nowSeconds()
                let existing = try db.query("SELECT state FROM vaccination WHERE patient_id = ? AND host_id = ?",
                                            [.text(patient.value), .text(hostID)])
                if let state = existing.first?.first?.text, state != "removed-remotely" {
                    return .alreadyRecorded(state: state)
                }
                // Added again after a remote deletion: the pending "removed" proposal of the old
                // Immunization is answered (it would stay proposed forever, without a host id).
                try db.query(
                    """
                    DELETE FROM proposal WHERE remote_id = (SELECT remote_id FROM vaccination
                        WHERE patient_id = ? AND host_id = ? AND state = 'removed-remotely')
                    """, [.text(patient.value), .text(hostID)])
                try db.query(
                    """
                    INSERT INTO vaccination (patient_id, host_id, carnet_id, resource, remote_id, remote_version, origin, state, updated_at)
                    VALUES (?, ?, ?, ?, NULL, NULL, 'host', 'pending', ?)
                    ON CONFLICT(patient_id, host_id) DO UPDATE SET carnet_id = excluded.carnet_id,
                        resource = excluded.resource, remote_id = NULL, remote_version = NULL, origin = 'host',
                        state = 'pending', updated_at = excluded.updated_at
                    """,
                    [.text(patient.value), .text(hostID), .text(carnet.value), .blob(Array(resource.serialized().utf8)),
                     .integer(now)])
                try db.query("INSERT INTO outbox (patient_id, host_id, operation, created_at) VALUES (?, ?, 'add', ?)",
                             [.text(patient.value), .text(hostID), .integer(now)])
                return .queued
            }
        }
    }

    func recordRemove(patient: HostPatientID, hostID: String) throws(CarnetFailure) -> RemoveOutcome {
        try withConnection { db throws(CarnetFailure) -> RemoveOutcome in
            try db.durableTransaction { () throws(CarnetFailure) -> RemoveOutcome in
                let key: [SQLiteValue] = [.text(patient.value), .text(hostID)]
                let rows = try db.query("SELECT state, remote_id FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
                guard let row = rows.first, let state = row[0].text else {
                    throw CarnetFailure(.notFound, domain: .validation, message: .unknownHostVaccination)
                }
                if state == "removed-remotely" {
                    try db.query("DELETE FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
                    try db.query("DELETE FROM proposal WHERE remote_id = ?", [row[1]])
                    return .confirmedRemoteDeletion
                }
                if state == "removing" { return .queued }
                // Never sent: not attempted, and not being sent right now (`markSending`): a push in
                // flight may be creating it on the service, so that one is removed from there.
                let neverSent = try db.query(
                    """
                    SELECT seq FROM outbox WHERE patient_id = ? AND host_id = ? AND operation = 'add' AND attempts = 0
                        AND last_status IS NULL
                    """, key)
                if row[1] == .null, !neverSent.isEmpty {
                    try db.query("DELETE FROM outbox WHERE patient_id = ? AND host_id = ?", key)
                    try db.query("DELETE FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
                    return .cancelledBeforeSending
                }
                if state == "failed", row[1] == .null {
                    // Refused by the service: it never existed there.
                    try db.query("DELETE FROM outbox WHERE patient_id = ? AND host_id = ?", key)
                    try db.query("DELETE FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
                    return .cancelledBeforeSending
                }
                try db.query("UPDATE vaccination SET state = 'removing', updated_at = ? WHERE patient_id = ? AND host_id = ?",
                             [.integer(Clock.nowSeconds())] + key)
                try db.query("INSERT INTO outbox (patient_id, host_id, operation, created_at) VALUES (?, ?, 'remove', ?)",
                             key + [.integer(Clock.nowSeconds())])
                return .queued
            }
        }
    }

    /// Items to push, oldest first, after `seq` `after`, at most `limit`. `dueOnly` skips items
    /// still backing off. The pusher reads a page at a time: a round usually stops at the first
    /// transient failure, so loading the whole outbox for every add made each add O(outbox).
    func outboxItems(patient: HostPatientID?, dueOnly: Bool, after: Int64 = 0, limit: Int = 10_000)
        throws(CarnetFailure) -> [OutboxItem]
    {
        try withConnection { db throws(CarnetFailure) -> [OutboxItem] in
            var sql = "SELECT seq, patient_id, host_id, operation, created_at, attempts FROM outbox WHERE blocked = 0 AND seq > ?"
            var values: [SQLiteValue] = [.integer(after)]
            if let patient {
                sql += " AND patient_id = ?"
                values.append(.text(patient.value))
            }
            if dueOnly {
                sql += " AND next_attempt_at <= ?"
                values.append(.integer(Clock.nowSeconds()))
            }
            sql += " ORDER BY seq LIMIT ?"
            values.append(.integer(Int64(max(1, min(limit, 10_000)))))
            return try db.query(sql, values).compactMap { r in
                guard r.count == 6, let seq = r[0].integer, let p = r[1].text, let h = r[2].text,
                      let op = r[3].text.flatMap(OutboxItem.Operation.init(rawValue:)), let c = r[4].integer,
                      let a = r[5].integer
                else { return nil }
                return OutboxItem(seq: seq, patientID: p, hostID: h, operation: op, createdAt: c, attempts: a)
            }
        }
    }

    func vaccination(patientID: String, hostID: String) throws(CarnetFailure) -> VaccinationRow? {
        try withConnection { db throws(CarnetFailure) -> VaccinationRow? in
            let rows = try db.query(
                "SELECT carnet_id, resource, remote_id, remote_version, state FROM vaccination WHERE patient_id = ? AND host_id = ?",
                [.text(patientID), .text(hostID)])
            guard let r = rows.first, r.count == 5, let carnet = r[0].text, let state = r[4].text else { return nil }
            var resource: JSONValue = .null
            if case .blob(let bytes) = r[1] { resource = (try? JSONValue.parse(bytes)) ?? .null }
            return VaccinationRow(patientID: patientID, hostID: hostID, carnetID: carnet, resource: resource,
                                  remoteID: r[2].text, remoteVersion: r[3].integer, state: state)
        }
    }

    /// Marks items about to be sent (`last_status` 0, which reports no status), so that a remove
    /// recorded meanwhile is not taken for the cancellation of something never sent.
    func markSending(_ items: [OutboxItem]) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                for item in items where item.attempts == 0 {
                    try db.query("UPDATE outbox SET last_status = 0 WHERE seq = ? AND attempts = 0 AND last_status IS NULL",
                                 [.integer(item.seq)])
                }
            }
        }
    }

    /// Undoes `markSending` for items the round stopped before sending.
    func unmarkSending(_ items: [OutboxItem]) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                for item in items where item.attempts == 0 {
                    try db.query("UPDATE outbox SET last_status = NULL WHERE seq = ? AND attempts = 0 AND last_status = 0",
                                 [.integer(item.seq)])
                }
            }
        }
    }

    /// Delivered items of one page, recorded in one relaxed transaction (see `completeAdd`).
    func completeBatch(adds: [(item: OutboxItem, remoteID: String, version: Int64)], removes: [OutboxItem])
        throws(CarnetFailure)
    {
        guard !adds.isEmpty || !removes.isEmpty else { return }
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                for add in adds { try LocalStore.completeAdd(db, add.item, remoteID: add.remoteID, version: add.version) }
                for item in removes { try LocalStore.completeRemove(db, item) }
            }
        }
    }

    /// The add reached the service: the item leaves the outbox, the row is synced.
    /// Committed without its own fsync (see `relaxedTransaction`): lost in a power cut, the
    /// item is simply pushed again and the conditional create finds it.
    func completeAdd(_ item: OutboxItem, remoteID: String, version: Int64) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                try LocalStore.completeAdd(db, item, remoteID: remoteID, version: version)
            }
        }
    }

    private static func completeAdd(_ db: SQLiteConnection, _ item: OutboxItem, remoteID: String, version: Int64)
        throws(CarnetFailure)
    {
        try db.query("DELETE FROM outbox WHERE seq = ?", [.integer(item.seq)])
        // If the host already asked to remove it, the row stays 'removing'.
        try db.query(
            """
            UPDATE vaccination SET remote_id = ?, remote_version = ?, updated_at = ?,
                state = CASE state WHEN 'removing' THEN 'removing' ELSE 'synced' END
            WHERE patient_id = ? AND host_id = ?
            """,
            [.text(remoteID), .integer(version), .integer(Clock.nowSeconds()), .text(item.patientID),
             .text(item.hostID)])
        try db.query("DELETE FROM proposal WHERE remote_id = ?", [.text(remoteID)])
    }

    /// The remove reached the service (or the vaccination was already gone). Relaxed commit:
    /// lost in a power cut, the DELETE is sent again and its 404/410 is a success.
    func completeRemove(_ item: OutboxItem) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                try LocalStore.completeRemove(db, item)
            }
        }
    }

    private static func completeRemove(_ db: SQLiteConnection, _ item: OutboxItem) throws(CarnetFailure) {
        try db.query("DELETE FROM outbox WHERE seq = ?", [.integer(item.seq)])
        let removed = try db.query(
            "DELETE FROM vaccination WHERE patient_id = ? AND host_id = ? RETURNING remote_id",
            [.text(item.patientID), .text(item.hostID)])
        if let remote = removed.first?.first, remote != .null {
            try db.query("DELETE FROM proposal WHERE remote_id = ?", [remote])
        }
    }

    /// Drops a remove whose add was refused by the service: there is nothing to delete.
    func dropRemoveOfNeverCreated(_ item: OutboxItem) throws(CarnetFailure) {
        try completeRemove(item)
    }

    /// Records a failed attempt. `blocked` items wait for the host (the
    /// record's own fault, or access revoked); others retry at `nextAttempt`.
    func failAttempt(_ item: OutboxItem, failure: CarnetFailure, message: String, blocked: Bool, nextAttempt: Int64)
        throws(CarnetFailure)
    {
        // Relaxed commit: losing an attempt count (or a block, which the same answer restores
        // at the next attempt) in a power cut is harmless.
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                try db.query(
                    """
                    UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, blocked = ?, last_status = ?,
                        last_message = ? WHERE seq = ?
                    """,
                    [.integer(nextAttempt), .integer(blocked ? 1 : 0), .integer(Int64(failure.kind.rawValue)),
                     .text(message), .integer(item.seq)])
                if blocked {
                    try db.query("UPDATE vaccination SET state = 'failed', updated_at = ? WHERE patient_id = ? AND host_id = ? AND state = 'pending'",
                                 [.integer(Clock.nowSeconds()), .text(item.patientID), .text(item.hostID)])
                }
            }
        }
    }

    /// Every outbox entry (pending or blocked), for reports.
    func outboxReport(patient: HostPatientID?) throws(CarnetFailure) -> [JSONValue] {
        try withConnection { db throws(CarnetFailure) -> [JSONValue] in
            var sql = "SELECT patient_id, host_id, operation, created_at, attempts, blocked, last_status, last_message FROM outbox"
            var values: [SQLiteValue] = []
            if let patient {
                sql += " WHERE patient_id = ?"
                values.append(.text(patient.value))
            }
            sql += " ORDER BY seq LIMIT 10000"
            let now = Clock.nowSeconds()
            return try db.query(sql, values).map { r in
                var item: JSONObject = JSONObject()
                item["patient_id"] = .string(r[0].text ?? "")
                item["host_vaccination_id"] = .string(r[1].text ?? "")
                item["operation"] = .string(r[2].text ?? "")
                let created = r[3].integer ?? now
                item["since"] = .string(Timestamps.instant(created))
                item["pending_seconds"] = .number(String(max(0, now &- min(max(created, 0), now))))
                item["attempts"] = .number(String(r[4].integer ?? 0))
                item["blocked"] = .bool((r[5].integer ?? 0) != 0)
                if let status = r[6].integer, let kind = FailureKind(rawValue: UInt32(clamping: status)) {
                    item["status"] = .string(kind.cName)
                    item["message"] = .string(r[7].text ?? "")
                }
                return .object(item)
            }
        }
    }

    /// Remembers the service's Retry-After: no request is sent before it
    /// elapses (rounded up to the next whole second, so never early).
    func holdService(seconds: Int64) throws(CarnetFailure) {
        let until = Clock.nowSeconds() + max(0, min(seconds, 86_400)) + 1
        try withConnection { db throws(CarnetFailure) in
            try db.query(
                """
                INSERT INTO store_state (key, value) VALUES ('service_not_before', ?)
                ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), excluded.value)
                """, [.integer(until)])
        }
    }

    /// The failure to report while the service's Retry-After runs, nil once it has elapsed.
    func serviceWait() throws(CarnetFailure) -> CarnetFailure? {
        try withConnection { db throws(CarnetFailure) -> CarnetFailure? in
            let rows = try db.query("SELECT value FROM store_state WHERE key = 'service_not_before'")
            guard let until = rows.first?.first?.integer else { return nil }
            let left = until - Clock.nowSeconds()
            guard left > 0 else { return nil }
            return CarnetFailure(.locked, domain: .http, code: 429, message: .rateLimited, retryAfterSeconds: left)
        }
    }

    func installID() throws(CarnetFailure) -> String {
        try withConnection { db throws(CarnetFailure) -> String in
            let rows = try db.query("SELECT value FROM store_state WHERE key = 'install_id'")
            guard let id = rows.first?.first?.text else { throw .internal("install id missing") }
            return id
        }
    }
}
