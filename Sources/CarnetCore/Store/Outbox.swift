internal import CarnetJSON

/// A change waiting to reach the service.
struct OutboxItem: Sendable, Equatable {
    let seq: Int64
    let patientID: String
    let hostID: String
    let operation: OutboxOperation
    let attempts: Int64
}

/// One delivered add or update: the service's id and version of the Immunization.
struct Delivery: Sendable {
    let item: OutboxItem
    let remoteID: String
    let version: Int64
}

/// Delivery bookkeeping: which items to send, which were delivered, which failed and when to try
/// again, and the service's Retry-After. All of it is safe to redo, so it commits relaxed.
extension VaccinationStore {
    /// Items to push, oldest first, after `seq` `after`, at most `limit`. `dueOnly` skips items
    /// still backing off. The pusher reads a page at a time: a round usually stops at the first
    /// transient failure, so loading the whole outbox for every add made each add O(outbox).
    func outboxItems(
        patient: HostPatientID?, dueOnly: Bool, after: Int64 = 0, limit: Int = 10_000
    )
        throws(CarnetFailure) -> [OutboxItem]
    {
        let now = self.now()
        return try withConnection { db throws(CarnetFailure) -> [OutboxItem] in
            var sql = "SELECT seq, patient_id, host_id, operation, attempts FROM outbox WHERE blocked = 0 AND seq > ?"
            var values: [SQLiteValue] = [.integer(after)]
            if let patient {
                sql += " AND patient_id = ?"
                values.append(.text(patient.value))
            }
            if dueOnly {
                sql += " AND next_attempt_at <= ?"
                values.append(.integer(now))
            }
            sql += " ORDER BY seq LIMIT ?"
            values.append(.integer(Int64(max(1, min(limit, 10_000)))))
            return try db.query(sql, values).compactMap { r in
                guard r.count == 5, let seq = r[0].integer, let p = r[1].text, let h = r[2].text,
                    let op = r[3].text.flatMap(OutboxOperation.init(rawValue:)), let a = r[4].integer
                else { return nil }
                return OutboxItem(seq: seq, patientID: p, hostID: h, operation: op, attempts: a)
            }
        }
    }

    /// Marks items about to be sent (`last_status` 0, which reports no status), so that a remove
    /// recorded meanwhile is not taken for the cancellation of something never sent.
    func markSending(_ items: [OutboxItem]) throws(CarnetFailure) {
        try setSending(items, from: "IS NULL", to: "0")
    }

    /// Undoes `markSending` for items the round stopped before sending.
    func unmarkSending(_ items: [OutboxItem]) throws(CarnetFailure) {
        try setSending(items, from: "= 0", to: "NULL")
    }

    private func setSending(_ items: [OutboxItem], from: StaticString, to: StaticString) throws(CarnetFailure) {
        let fresh = items.filter { $0.attempts == 0 }
        guard !fresh.isEmpty else { return }
        let sql = "UPDATE outbox SET last_status = \(to) WHERE seq = ? AND attempts = 0 AND last_status \(from)"
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                for item in fresh { try db.query(sql, [.integer(item.seq)]) }
            }
        }
    }

    /// Delivered items of one page, recorded in one relaxed transaction: lost in a power cut, the
    /// items are pushed again and the conditional create (or the DELETE's 404/410) finds them done.
    func complete(adds: [Delivery], updates: [Delivery] = [], removes: [OutboxItem]) throws(CarnetFailure) {
        guard !adds.isEmpty || !updates.isEmpty || !removes.isEmpty else { return }
        let now = self.now()
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                for add in adds { try VaccinationStore.completeAdd(db, add, now: now) }
                for update in updates { try VaccinationStore.completeAdd(db, update, now: now) }
                for item in removes { try VaccinationStore.completeRemove(db, item) }
            }
        }
    }

    /// Drops an item that has nothing left to send: a remove (the row goes with it), an add whose
    /// row is gone, or an update superseded by a remove or a refusal (`keepingRow`).
    func dropWithoutSending(_ item: OutboxItem, keepingRow: Bool = false) throws(CarnetFailure) {
        guard keepingRow else { return try complete(adds: [], removes: [item]) }
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                try db.query("DELETE FROM outbox WHERE seq = ?", [.integer(item.seq)])
            }
        }
    }

    /// An add or an update reached the service at `version`.
    private static func completeAdd(_ db: SQLiteConnection, _ add: Delivery, now: Int64) throws(CarnetFailure) {
        try db.query("DELETE FROM outbox WHERE seq = ?", [.integer(add.item.seq)])
        // If the host already asked to remove it, the row stays `removing`; if a correction is
        // still queued behind this delivery, it stays `updating`.
        let key: [SQLiteValue] = [.text(add.item.patientID), .text(add.item.hostID)]
        try db.query(
            """
            UPDATE vaccination SET remote_id = ?, remote_version = ?, updated_at = ?,
                state = CASE WHEN state = ? THEN state
                             WHEN EXISTS (SELECT 1 FROM outbox WHERE patient_id = ? AND host_id = ? AND operation = ?)
                             THEN ? ELSE ? END
            WHERE patient_id = ? AND host_id = ?
            """,
            [.text(add.remoteID), .integer(add.version), .integer(now), .text(VaccinationState.removing.rawValue)]
                + key + [
                    .text(OutboxOperation.update.rawValue), .text(VaccinationState.updating.rawValue),
                    .text(VaccinationState.synced.rawValue),
                ] + key)
        try db.query("DELETE FROM proposal WHERE remote_id = ?", [.text(add.remoteID)])
    }

    private static func completeRemove(_ db: SQLiteConnection, _ item: OutboxItem) throws(CarnetFailure) {
        try db.query("DELETE FROM outbox WHERE seq = ?", [.integer(item.seq)])
        let removed = try db.query(
            "DELETE FROM vaccination WHERE patient_id = ? AND host_id = ? RETURNING remote_id",
            [.text(item.patientID), .text(item.hostID)])
        if let remote = removed.first?.first, remote != .null {
            try db.query("DELETE FROM proposal WHERE remote_id = ?", [remote])
            // Remembered, so the changes feed replaying its earlier versions never brings it back.
            try db.query("INSERT OR IGNORE INTO ignored_remote (remote_id) VALUES (?)", [remote])
        }
    }

    /// Records a failed attempt. `blocked` items wait for the host (the record's own fault, or
    /// access revoked); others retry at `nextAttempt`. Relaxed commit: losing an attempt count (or
    /// a block, which the same answer restores at the next attempt) in a power cut is harmless.
    func failAttempt(
        _ item: OutboxItem, failure: CarnetFailure, message: String, blocked: Bool, nextAttempt: Int64
    )
        throws(CarnetFailure)
    {
        let now = self.now()
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                try db.query(
                    """
                    UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, blocked = ?, last_status = ?,
                        last_message = ? WHERE seq = ?
                    """,
                    [
                        .integer(nextAttempt), .integer(blocked ? 1 : 0), .integer(Int64(failure.kind.rawValue)),
                        .text(message), .integer(item.seq),
                    ])
                if blocked {
                    try db.query(
                        """
                        UPDATE vaccination SET state = ?, updated_at = ? WHERE patient_id = ? AND host_id = ?
                            AND state = ?
                        """,
                        [
                            .text(VaccinationState.failed.rawValue), .integer(now), .text(item.patientID),
                            .text(item.hostID), .text(VaccinationState.pending.rawValue),
                        ])
                }
            }
        }
    }

    /// The failure that blocked a change of this vaccination, if one is blocked: the kind the
    /// service's answer had, with the generic message of that kind (the stored sentence is in
    /// the locale of the client that recorded it).
    func blockingFailure(patientID: String, hostID: String) throws(CarnetFailure) -> CarnetFailure? {
        try withConnection { db throws(CarnetFailure) -> CarnetFailure? in
            let rows = try db.query(
                """
                SELECT last_status FROM outbox WHERE patient_id = ? AND host_id = ? AND blocked = 1
                ORDER BY seq LIMIT 1
                """,
                [.text(patientID), .text(hostID)])
            guard let row = rows.first else { return nil }
            let kind = row.first?.integer.flatMap { FailureKind(rawValue: UInt32(clamping: $0)) } ?? .rejected
            return CarnetFailure.blocked(kind)
        }
    }

    /// Every outbox entry (pending or blocked), for reports.
    func outboxReport(patient: HostPatientID?) throws(CarnetFailure) -> [JSONValue] {
        let now = self.now()
        return try withConnection { db throws(CarnetFailure) -> [JSONValue] in
            var sql = """
                SELECT patient_id, host_id, operation, created_at, attempts, blocked, last_status, last_message
                FROM outbox
                """
            var values: [SQLiteValue] = []
            if let patient {
                sql += " WHERE patient_id = ?"
                values.append(.text(patient.value))
            }
            sql += " ORDER BY seq LIMIT 10000"
            return try db.query(sql, values).compactMap { r in
                guard r.count == 8 else { return nil }
                var item: JSONObject = JSONObject()
                item["patient_id"] = .string(r[0].text ?? "")
                item["host_vaccination_id"] = .string(r[1].text ?? "")
                item["operation"] = .string(r[2].text ?? "")
                let created = min(max(r[3].integer ?? now, 0), now)
                item["since"] = .string(Timestamps.instant(created))
                item["pending_seconds"] = .number(String(now - created))
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
        let until = now() + max(0, min(seconds, 86_400)) + 1
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
        let now = self.now()
        return try withConnection { db throws(CarnetFailure) -> CarnetFailure? in
            let rows = try db.query("SELECT value FROM store_state WHERE key = 'service_not_before'")
            guard let until = rows.first?.first?.integer else { return nil }
            let (left, overflow) = until.subtractingReportingOverflow(now)  // a tampered value cannot trap
            guard !overflow, left > 0 else { return nil }
            return CarnetFailure(.locked, domain: .http, code: 429, message: .rateLimited, retryAfterSeconds: left)
        }
    }
}

extension CarnetFailure {
    /// A blocked change reported again, later, from the store: its kind with that kind's message.
    static func blocked(_ kind: FailureKind) -> CarnetFailure {
        let message: UserMessage
        switch kind {
        case .conflict: message = .versionConflict
        case .accessDenied: message = .accessRevoked
        case .notFound: message = .remoteNotFound
        default: message = .rejected(.other(nil))
        }
        return CarnetFailure(
            kind == .conflict || kind == .accessDenied || kind == .notFound ? kind : .rejected,
            domain: .http, message: message)
    }
}
