internal import CarnetJSON

/// One vaccination the store knows for a patient.
struct VaccinationRow: Sendable {
    let patientID: String
    let hostID: String
    let recordID: String
    let resource: JSONValue
    let remoteID: String?
    let remoteVersion: Int64?
    let state: VaccinationState
    /// Bytes of the stored resource (what a batch counts towards its size limit).
    var encodedSize = 0
}

/// What recording an add did.
enum AddRecording: Sendable, Equatable {
    case queued
    /// A correction was recorded (recordUpdate; docs/sync.md, "Corrections").
    case corrected
    case alreadyRecorded(VaccinationState)
}

/// What recording a remove did.
enum RemoveRecording: Sendable, Equatable {
    case queued
    /// The add had never been sent: both cancel, nothing goes to the service.
    case cancelledBeforeSending
    /// Already deleted on the service; the host confirmed, the row is gone.
    case confirmedRemoteDeletion
}

/// Every SQL statement about the host's vaccinations, the outbox, the proposals and the
/// changes cursor (this file: what the host records; Outbox.swift: delivery bookkeeping;
/// RemoteChanges.swift: what the service tells). The sync engine and the flows depend on this
/// type, never on SQL.
///
/// Two kinds of commit, side by side in SQLiteConnection: what the host recorded is
/// `durableTransaction` (fsync'd before the call returns); bookkeeping that is safe to redo is
/// `relaxedTransaction` (docs/sync.md, "Bookkeeping commits").
struct VaccinationStore: Sendable {
    let store: LocalStore
    /// Seconds since the epoch: the wall clock, or a test's clock.
    let now: @Sendable () -> Int64

    init(_ store: LocalStore, now: @escaping @Sendable () -> Int64 = { Clock.nowSeconds() }) {
        self.store = store
        self.now = now
    }

    @discardableResult
    func withConnection<T>(_ body: (SQLiteConnection) throws(CarnetFailure) -> T) throws(CarnetFailure) -> T {
        try store.withConnection(body)
    }

    /// Records an add and queues it, in one durable transaction.
    func recordAdd(
        patient: HostPatientID, carnet: RecordID, hostID: String, resource: JSONValue
    )
        throws(CarnetFailure) -> AddRecording
    {
        let now = self.now()
        return try withConnection { db throws(CarnetFailure) -> AddRecording in
            try db.durableTransaction { () throws(CarnetFailure) -> AddRecording in
                try VaccinationStore.insertAdd(db, patient: patient, carnet: carnet, hostID: hostID,
                                               resource: resource, now: now)
            }
        }
    }

    /// Records many adds of one patient in one durable transaction (one fsync for all): each
    /// item's own outcome, in order; an item refused (recorded with other content) records
    /// nothing and does not stop the others.
    func recordAdds(
        patient: HostPatientID, carnet: RecordID, items: [(hostID: String, resource: JSONValue)]
    )
        throws(CarnetFailure) -> [Result<AddRecording, CarnetFailure>]
    {
        let now = self.now()
        return try withConnection { db throws(CarnetFailure) -> [Result<AddRecording, CarnetFailure>] in
            try db.durableTransaction { () throws(CarnetFailure) -> [Result<AddRecording, CarnetFailure>] in
                var results: [Result<AddRecording, CarnetFailure>] = []
                for item in items {
                    do throws(CarnetFailure) {
                        results.append(
                            .success(
                                try VaccinationStore.insertAdd(
                                    db, patient: patient, carnet: carnet, hostID: item.hostID,
                                    resource: item.resource, now: now)))
                    } catch where error.kind == .conflict {
                        results.append(.failure(error))  // refused before writing anything
                    }
                }
                return results
            }
        }
    }

    /// One add inside the caller's transaction: the same content again records nothing; other
    /// content is refused (before any write), never a silent OK: a correction is an update
    /// (recordUpdate), said so to the host.
    private static func insertAdd(
        _ db: SQLiteConnection, patient: HostPatientID, carnet: RecordID, hostID: String, resource: JSONValue,
        now: Int64
    ) throws(CarnetFailure) -> AddRecording {
        let key: [SQLiteValue] = [.text(patient.value), .text(hostID)]
        let body = Array(resource.serialized().utf8)
        if let row = try VaccinationStore.stateAndResource(db, key), row.state != .removedRemotely {
            guard row.resource == body else {
                throw CarnetFailure(.conflict, domain: .validation, message: .recordedWithOtherContent)
            }
            return .alreadyRecorded(row.state)
        }
        // Added again after a remote deletion: the pending "removed" proposal of the old
        // Immunization is answered (it would stay proposed forever, without a host id).
        try db.query(
            """
            DELETE FROM proposal WHERE remote_id = (SELECT remote_id FROM vaccination
                WHERE patient_id = ? AND host_id = ? AND state = ?)
            """, key + [.text(VaccinationState.removedRemotely.rawValue)])
        try db.query(
            """
            INSERT INTO vaccination (patient_id, host_id, carnet_id, resource, remote_id, remote_version,
                                     origin, state, updated_at)
            VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?)
            ON CONFLICT(patient_id, host_id) DO UPDATE SET carnet_id = excluded.carnet_id,
                resource = excluded.resource, remote_id = NULL, remote_version = NULL,
                origin = excluded.origin, state = excluded.state, updated_at = excluded.updated_at
            """,
            key + [
                .text(carnet.value), .blob(body),
                .text(VaccinationOrigin.host.rawValue), .text(VaccinationState.pending.rawValue),
                .integer(now),
            ])
        try db.query(
            "INSERT INTO outbox (patient_id, host_id, operation, created_at) VALUES (?, ?, ?, ?)",
            key + [.text(OutboxOperation.add.rawValue), .integer(now)])
        return .queued
    }

    /// Records a remove, in one durable transaction: queued for the service, or settled locally
    /// when nothing was ever created there.
    /// `carnet`: when given (the host set a practice id), an id this workstation does not know
    /// may be the practice's, recorded on another workstation: the remove is queued and the
    /// pusher finds it on the service by its identifier. Without it, an unknown id is NOT_FOUND.
    func recordRemove(
        patient: HostPatientID, hostID: String, unknownOnCarnet carnet: RecordID? = nil
    )
        throws(CarnetFailure) -> RemoveRecording
    {
        let now = self.now()
        return try withConnection { db throws(CarnetFailure) -> RemoveRecording in
            try db.durableTransaction { () throws(CarnetFailure) -> RemoveRecording in
                let key: [SQLiteValue] = [.text(patient.value), .text(hostID)]
                let rows = try db.query(
                    "SELECT state, remote_id FROM vaccination WHERE patient_id = ? AND host_id = ?",
                    key)
                guard let row = rows.first, row.count == 2, let text = row[0].text else {
                    guard let carnet else {
                        throw CarnetFailure(.notFound, domain: .validation, message: .unknownHostVaccination)
                    }
                    try VaccinationStore.insertUnresolved(db, key, carnet: carnet, state: .removing, now: now)
                    try db.query(
                        "INSERT INTO outbox (patient_id, host_id, operation, created_at) VALUES (?, ?, ?, ?)",
                        key + [.text(OutboxOperation.remove.rawValue), .integer(now)])
                    return .queued
                }
                let state = VaccinationState(rawValue: text) ?? .pending
                let remoteID = row[1]
                if state == .removedRemotely {
                    try db.query("DELETE FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
                    try db.query("DELETE FROM proposal WHERE remote_id = ?", [remoteID])
                    try db.query("INSERT OR IGNORE INTO ignored_remote (remote_id) VALUES (?)", [remoteID])
                    return .confirmedRemoteDeletion
                }
                if state == .removing { return .queued }
                // Never sent: not attempted, and not being sent right now (`markSending`): a push in
                // flight may be creating it on the service, so that one is removed from there.
                let neverSent = try db.query(
                    """
                    SELECT seq FROM outbox WHERE patient_id = ? AND host_id = ? AND operation = ? AND attempts = 0
                        AND last_status IS NULL
                    """, key + [.text(OutboxOperation.add.rawValue)])
                // Refused by the service (`failed`): it never existed there either.
                if remoteID == .null, !neverSent.isEmpty || state == .failed {
                    try db.query("DELETE FROM outbox WHERE patient_id = ? AND host_id = ?", key)
                    try db.query("DELETE FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
                    return .cancelledBeforeSending
                }
                // A correction not yet sent coalesces into the remove (one remove, not update + remove);
                // one blocked as a conflict is moot once the doctor removes the vaccination (it
                // would stay blocked for ever). One sent and waiting for a retry is dropped by the
                // pusher, which sees the row being removed.
                try db.query(
                    """
                    DELETE FROM outbox WHERE patient_id = ? AND host_id = ? AND operation = ?
                        AND (last_status IS NULL OR blocked = 1)
                    """,
                    key + [.text(OutboxOperation.update.rawValue)])
                try db.query(
                    "UPDATE vaccination SET state = ?, updated_at = ? WHERE patient_id = ? AND host_id = ?",
                    [.text(VaccinationState.removing.rawValue), .integer(now)] + key)
                try db.query(
                    "INSERT INTO outbox (patient_id, host_id, operation, created_at) VALUES (?, ?, ?, ?)",
                    key + [.text(OutboxOperation.remove.rawValue), .integer(now)])
                return .queued
            }
        }
    }

    /// Records a correction of a vaccination the host holds, durably (docs/sync.md, "Corrections").
    /// An id this workstation does not know is the practice's (recorded on another workstation):
    /// the pusher finds it on the service by its identifier, or creates it.
    func recordUpdate(
        patient: HostPatientID, carnet: RecordID, hostID: String, resource: JSONValue
    )
        throws(CarnetFailure) -> AddRecording
    {
        let now = self.now()
        let body = Array(resource.serialized().utf8)
        let known = try withConnection { db throws(CarnetFailure) -> AddRecording? in
            try db.durableTransaction { () throws(CarnetFailure) -> AddRecording? in
                let key: [SQLiteValue] = [.text(patient.value), .text(hostID)]
                guard let row = try VaccinationStore.stateAndResource(db, key) else {
                    try VaccinationStore.insertUnresolved(
                        db, key, carnet: carnet, state: .updating, now: now,
                        resource: body)
                    try db.query(
                        "INSERT INTO outbox (patient_id, host_id, operation, created_at) VALUES (?, ?, ?, ?)",
                        key + [.text(OutboxOperation.update.rawValue), .integer(now)])
                    return .corrected
                }
                if row.state == .removedRemotely { return nil }  // deleted on the service: created anew
                // The same content again records nothing — unless it was blocked (a conflict): then
                // sending it again is the host's deliberate decision, conditioned on the version now seen.
                let blocked = try db.query(
                    "SELECT 1 FROM outbox WHERE patient_id = ? AND host_id = ? AND blocked = 1",
                    key)
                guard row.resource != body || !blocked.isEmpty else { return .alreadyRecorded(row.state) }
                try VaccinationStore.queueCorrection(db, key, state: row.state, resource: body, now: now)
                return .corrected
            }
        }
        if let known { return known }
        return try recordAdd(patient: patient, carnet: carnet, hostID: hostID, resource: resource)
    }

    private static func stateAndResource(
        _ db: SQLiteConnection, _ key: [SQLiteValue]
    ) throws(CarnetFailure)
        -> (state: VaccinationState, resource: [UInt8])?
    {
        let rows = try db.query("SELECT state, resource FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
        guard let row = rows.first, row.count == 2, let text = row[0].text else { return nil }
        var resource: [UInt8] = []
        if case .blob(let bytes) = row[1] { resource = bytes }
        return (VaccinationState(rawValue: text) ?? .pending, resource)
    }

    /// A row for a vaccination of the practice this workstation has not seen: its remote id is
    /// found on the service when the change is pushed (or by the next pull).
    private static func insertUnresolved(
        _ db: SQLiteConnection, _ key: [SQLiteValue], carnet: RecordID,
        state: VaccinationState, now: Int64, resource: [UInt8] = Array("{}".utf8)
    )
        throws(CarnetFailure)
    {
        try db.query(
            """
            INSERT INTO vaccination (patient_id, host_id, carnet_id, resource, remote_id, remote_version, origin,
                                     state, updated_at)
            VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?)
            """,
            key + [
                .text(carnet.value), .blob(resource), .text(VaccinationOrigin.host.rawValue),
                .text(state.rawValue), .integer(now),
            ])
    }

    /// The new content replaces the stored one, and reaches the service: with the pending add if
    /// it was never sent, by reopening a refused add (the correction may fix what was refused),
    /// else as an update conditioned on the version this store last saw.
    private static func queueCorrection(
        _ db: SQLiteConnection, _ key: [SQLiteValue], state: VaccinationState,
        resource: [UInt8], now: Int64
    ) throws(CarnetFailure) {
        let add = SQLiteValue.text(OutboxOperation.add.rawValue)
        switch state {
        case .removing, .removedRemotely:
            throw CarnetFailure(.notFound, domain: .validation, message: .unknownHostVaccination)
        case .failed:
            try db.query(
                """
                UPDATE outbox SET blocked = 0, attempts = 0, next_attempt_at = 0, last_status = NULL,
                    last_message = NULL WHERE patient_id = ? AND host_id = ? AND operation = ?
                """, key + [add])
            try db.query(
                "UPDATE vaccination SET resource = ?, state = ?, updated_at = ? WHERE patient_id = ? AND host_id = ?",
                [.blob(resource), .text(VaccinationState.pending.rawValue), .integer(now)] + key)
            return
        case .pending:
            let neverSent = try db.query(
                """
                SELECT seq FROM outbox WHERE patient_id = ? AND host_id = ? AND operation = ? AND attempts = 0
                    AND last_status IS NULL
                """, key + [add])
            if !neverSent.isEmpty {
                try db.query(
                    "UPDATE vaccination SET resource = ?, updated_at = ? WHERE patient_id = ? AND host_id = ?",
                    [.blob(resource), .integer(now)] + key)
                return
            }
        case .synced, .updating:
            break
        }
        // Sent (or being sent) with the old content, or on the service: an update follows. A
        // correction blocked by a conflict is replaced by this one (the host decided).
        try db.query(
            "DELETE FROM outbox WHERE patient_id = ? AND host_id = ? AND operation = ?",
            key + [.text(OutboxOperation.update.rawValue)])
        try db.query(
            "UPDATE vaccination SET resource = ?, state = ?, updated_at = ? WHERE patient_id = ? AND host_id = ?",
            [.blob(resource), .text(VaccinationState.updating.rawValue), .integer(now)] + key)
        try db.query(
            "INSERT INTO outbox (patient_id, host_id, operation, created_at) VALUES (?, ?, ?, ?)",
            key + [.text(OutboxOperation.update.rawValue), .integer(now)])
    }

    func vaccination(patientID: String, hostID: String) throws(CarnetFailure) -> VaccinationRow? {
        try withConnection { db throws(CarnetFailure) -> VaccinationRow? in
            let rows = try db.query(
                """
                SELECT carnet_id, resource, remote_id, remote_version, state FROM vaccination
                WHERE patient_id = ? AND host_id = ?
                """, [.text(patientID), .text(hostID)])
            guard let r = rows.first, r.count == 5, let carnet = r[0].text,
                let state = r[4].text.flatMap(VaccinationState.init(rawValue:))
            else { return nil }
            var resource: JSONValue = .null
            var size = 0
            if case .blob(let bytes) = r[1] {
                resource = (try? JSONValue.parse(bytes)) ?? .null
                size = bytes.count
            }
            return VaccinationRow(
                patientID: patientID, hostID: hostID, recordID: carnet, resource: resource,
                remoteID: r[2].text, remoteVersion: r[3].integer, state: state, encodedSize: size)
        }
    }

    /// The host's id of a vaccination known on the service, if the host holds it.
    func hostID(forRemote remoteID: String) throws(CarnetFailure) -> String? {
        try withConnection { db throws(CarnetFailure) -> String? in
            try db.query("SELECT host_id FROM vaccination WHERE remote_id = ?", [.text(remoteID)]).first?.first?.text
        }
    }

    /// Records which remote vaccinations the host imported (under which host ids) and which it
    /// ignores, durably: sync neither proposes them again nor pushes them back.
    /// Whether the store holds this remote vaccination (as the host's, or as a proposal).
    func knows(remoteID: String) throws(CarnetFailure) -> Bool {
        try withConnection { db throws(CarnetFailure) -> Bool in
            let rows = try db.query(
                """
                SELECT 1 FROM vaccination WHERE remote_id = ?1 UNION ALL SELECT 1 FROM proposal WHERE remote_id = ?1
                LIMIT 1
                """, [.text(remoteID)])
            return !rows.isEmpty
        }
    }

    /// `fetched`: what the service answered for imported ids no proposal described.
    func accept(
        patient: HostPatientID, carnet: RecordID, imported: [(remote: String, host: String)],
        ignored: [String], fetched: [String: (resource: JSONValue, version: Int64)] = [:]
    )
        throws(CarnetFailure)
    {
        let now = self.now()
        try withConnection { db throws(CarnetFailure) in
            try db.durableTransaction { () throws(CarnetFailure) in
                let changed = SQLiteValue.text(ProposalKind.changed.rawValue)
                for (remote, host) in imported {
                    let existing = try db.query(
                        "SELECT remote_id FROM vaccination WHERE patient_id = ? AND host_id = ?",
                        [.text(patient.value), .text(host)])
                    if let row = existing.first {
                        guard row.first?.text == remote else {
                            throw CarnetFailure(
                                .conflict, domain: .validation,
                                message: .invalidField("host_vaccination_id", reason: .unknownValue))
                        }
                        // Already the host's: accepting acknowledges a change made elsewhere
                        // (the stored copy takes the service's version); twice changes nothing.
                        try db.query(
                            """
                            UPDATE vaccination SET resource = COALESCE((SELECT resource FROM proposal
                                WHERE remote_id = ? AND kind = ?), resource), updated_at = ?
                            WHERE patient_id = ? AND host_id = ?
                            """, [.text(remote), changed, .integer(now), .text(patient.value), .text(host)])
                        try db.query("DELETE FROM proposal WHERE remote_id = ? AND kind = ?", [.text(remote), changed])
                        continue
                    }
                    let proposal = try db.query(
                        "SELECT version, resource FROM proposal WHERE remote_id = ?",
                        [.text(remote)])
                    var version = proposal.first?.first?.integer ?? 1
                    var resource: [UInt8] = Array("{}".utf8)
                    if let row = proposal.first, row.count == 2, case .blob(let bytes) = row[1] {
                        resource = bytes
                    } else if let answer = fetched[remote] {
                        resource = Array(answer.resource.serialized().utf8)
                        version = answer.version
                    } else {
                        throw CarnetFailure(
                            .notFound, domain: .validation,
                            message: .invalidField("imported.immunization_id", reason: .unknownValue))
                    }
                    try db.query(
                        """
                        INSERT INTO vaccination (patient_id, host_id, carnet_id, resource, remote_id, remote_version,
                                                 origin, state, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            .text(patient.value), .text(host), .text(carnet.value), .blob(resource), .text(remote),
                            .integer(version), .text(VaccinationOrigin.imported.rawValue),
                            .text(VaccinationState.synced.rawValue), .integer(now),
                        ])
                    try db.query("DELETE FROM proposal WHERE remote_id = ?", [.text(remote)])
                }
                for remote in ignored {
                    try db.query("INSERT OR IGNORE INTO ignored_remote (remote_id) VALUES (?)", [.text(remote)])
                    try db.query("DELETE FROM proposal WHERE remote_id = ?", [.text(remote)])
                }
            }
        }
    }

    /// This store's installation id (the scope of the host's vaccination ids on the wire).
    func installID() throws(CarnetFailure) -> String {
        try withConnection { db throws(CarnetFailure) -> String in
            let rows = try db.query("SELECT value FROM store_state WHERE key = 'install_id'")
            guard let id = rows.first?.first?.text else { throw .internal("install id missing") }
            return id
        }
    }
}
