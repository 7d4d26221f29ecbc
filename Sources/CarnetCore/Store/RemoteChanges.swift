internal import CarnetWire
internal import CarnetJSON

/// One entry of the service's changes feed.
struct RemoteChange: Sendable {
    let immunizationID: String
    let version: Int64
    let deleted: Bool
    let recordID: String?
    let resource: JSONValue?

    init(immunizationID: String, version: Int64, deleted: Bool, recordID: String?, resource: JSONValue?) {
        self.immunizationID = immunizationID
        self.version = version
        self.deleted = deleted
        self.recordID = recordID
        self.resource = deleted ? nil : resource
    }

    /// A Bundle entry of the feed, nil if it is not about an Immunization or is malformed.
    init?(entry: JSONValue) {
        guard let method = entry["request"]?["method"]?.stringValue else { return nil }
        let url = entry["request"]?["url"]?.stringValue ?? ""
        let resource = entry["resource"]
        if let resource, resource["resourceType"] != "Immunization" { return nil }
        if resource == nil, !url.hasPrefix("Immunization/") { return nil }
        let id = resource?["id"]?.stringValue ?? String(url.dropFirst("Immunization/".count).prefix { $0 != "/" })
        guard !id.isEmpty, id.utf8.count <= 64 else { return nil }
        let etag = entry["response"]?["etag"]?.stringValue ?? ""
        let digits = etag.filter { $0.isASCII && $0.isNumber }
        let version = resource?["meta"]?["versionId"]?.stringValue.flatMap { Int64($0) } ?? Int64(digits) ?? 0
        let reference = resource?["patient"]?["reference"]?.stringValue
        let carnet = reference.flatMap { $0.hasPrefix("Patient/") ? RecordID(String($0.dropFirst(8)))?.value : nil }
        self.init(
            immunizationID: id, version: version, deleted: method == "DELETE", recordID: carnet,
            resource: resource)
    }
}

/// What the host is asked to act on after a sync, as the documents `carnet_sync` returns.
struct Proposals: Sendable {
    var added: [JSONValue] = []
    var removed: [JSONValue] = []
    var changed: [JSONValue] = []

    var count: Int { added.count + removed.count + changed.count }

    /// Who recorded the vaccination elsewhere, when the service says (its recorded-by extension:
    /// the professional's display name, never an email), for the doctor's "saisie par ...".
    static func recordedBy(_ resource: JSONValue) -> JSONValue? {
        for item in resource["extension"]?.arrayValue ?? []
        where item["url"]?.stringValue == WireDefinition.recordedByExtension {
            guard let name = item["valueReference"]?["display"]?.stringValue, !name.isEmpty, name.utf8.count <= 256
            else { continue }
            return .string(name)
        }
        return nil
    }
}

/// What the service tells: the changes cursor, each page of changes applied with it, and the
/// proposals they leave for the host (docs/sync.md, "Pull" and "Conflicts").
extension VaccinationStore {
    func changesCursor() throws(CarnetFailure) -> Int64 {
        try withConnection { db throws(CarnetFailure) -> Int64 in
            let rows = try db.query("SELECT value FROM store_state WHERE key = 'changes_cursor'")
            guard let value = rows.first?.first else { return 0 }
            switch value {
            case .integer(let i): return i
            case .text(let t): return Int64(t) ?? 0
            default: return 0
            }
        }
    }

    /// Applies one page of changes and moves the cursor, atomically. Relaxed commit: rolled
    /// back by a power cut, the page is read again (applying a change twice is harmless:
    /// keyed on the Immunization id, versions only move up).
    func apply(_ changes: [RemoteChange], newCursor: Int64, scope: HostIDScope) throws(CarnetFailure) {
        let now = self.now()
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                // The feed may replay a resource's earlier versions: one deleted later in the same
                // page is not recognised as the practice's (it would come back to life).
                let deletedLater = Set(changes.filter(\.deleted).map(\.immunizationID))
                for change in changes {
                    try VaccinationStore.apply(change, db, scope: scope, deletedLater: deletedLater, now: now)
                }
                try db.query(
                    """
                    INSERT INTO store_state (key, value) VALUES ('changes_cursor', ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    """, [.integer(newCursor)])
                // When the local copy last caught up with the service (offline recommendations say so).
                try db.query(
                    "INSERT INTO store_state (key, value) VALUES ('last_pull_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [.integer(now)])
            }
        }
    }

    private static func apply(
        _ change: RemoteChange, _ db: SQLiteConnection, scope: HostIDScope,
        deletedLater: Set<String>, now: Int64
    ) throws(CarnetFailure) {
        let id = SQLiteValue.text(change.immunizationID)
        let synced = SQLiteValue.text(VaccinationState.synced.rawValue)
        let ours = try db.query("SELECT state, remote_version FROM vaccination WHERE remote_id = ?", [id])
        if let row = ours.first, row.count == 2 {
            let state = row[0].text.flatMap(VaccinationState.init(rawValue:))
            if change.deleted {
                guard state == .synced else { return }
                // Deleted elsewhere: the host is asked to confirm (docs/sync.md).
                try db.query(
                    "UPDATE vaccination SET state = ?, updated_at = ? WHERE remote_id = ? AND state = ?",
                    [.text(VaccinationState.removedRemotely.rawValue), .integer(now), id, synced])
                let removed = SQLiteValue.text(ProposalKind.removed.rawValue)
                try db.query(
                    """
                    INSERT INTO proposal (remote_id, carnet_id, version, resource, kind, seen_at)
                    SELECT remote_id, carnet_id, ?, NULL, ?, ? FROM vaccination WHERE remote_id = ?
                    ON CONFLICT(remote_id) DO UPDATE SET kind = excluded.kind, version = excluded.version
                    """, [.integer(change.version), removed, .integer(now), id])
            } else if change.version > (row[1].integer ?? 0) {
                // Changed elsewhere: the service's version is the truth; remember it, and tell the
                // host so it can refresh its copy (docs/sync.md).
                try db.query(
                    "UPDATE vaccination SET remote_version = ? WHERE remote_id = ?",
                    [.integer(change.version), id])
                // Also while a correction of ours waits: its If-Match will meet this version (a
                // conflict), and the host needs the service's content to resolve it.
                guard state == .synced || state == .updating, let resource = change.resource else { return }
                try db.query(
                    """
                    INSERT INTO proposal (remote_id, carnet_id, version, resource, kind, seen_at)
                    SELECT remote_id, carnet_id, ?, ?, ?, ? FROM vaccination WHERE remote_id = ?
                    ON CONFLICT(remote_id) DO UPDATE SET version = excluded.version,
                        resource = excluded.resource, kind = excluded.kind
                    WHERE excluded.version >= proposal.version
                    """,
                    [
                        .integer(change.version), .blob(Array(resource.serialized().utf8)),
                        .text(ProposalKind.changed.rawValue), .integer(now), id,
                    ])
            }
            return
        }
        // Ignored by the host, or removed by this store (the feed replays older versions).
        if !(try db.query("SELECT 1 FROM ignored_remote WHERE remote_id = ?", [id])).isEmpty { return }
        if !deletedLater.contains(change.immunizationID), try recognise(change, db, scope: scope, now: now) { return }
        let added = SQLiteValue.text(ProposalKind.added.rawValue)
        if change.deleted {
            // Added and deleted elsewhere before the host imported it.
            try db.query("DELETE FROM proposal WHERE remote_id = ? AND kind = ?", [id, added])
            return
        }
        guard let carnet = change.recordID, let resource = change.resource else { return }
        // Only carnets linked to a host patient concern this workstation.
        guard !(try db.query("SELECT 1 FROM link WHERE carnet_id = ? LIMIT 1", [.text(carnet)])).isEmpty else {
            return
        }
        try db.query(
            """
            INSERT INTO proposal (remote_id, carnet_id, version, resource, kind, seen_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(remote_id) DO UPDATE SET version = excluded.version, resource = excluded.resource
            WHERE excluded.version >= proposal.version
            """,
            [
                id, .text(carnet), .integer(change.version), .blob(Array(resource.serialized().utf8)), added,
                .integer(now),
            ])
    }

    /// A vaccination of the practice this store did not know by its remote id (recorded on
    /// another workstation of the practice): it is the host's own, so it is stored as synced under
    /// its host id — never proposed for import — and a change of it queued here meanwhile (a
    /// remove or a correction from this workstation) now knows where it is.
    private static func recognise(
        _ change: RemoteChange, _ db: SQLiteConnection, scope: HostIDScope, now: Int64
    )
        throws(CarnetFailure) -> Bool
    {
        guard !change.deleted, let hostID = scope.hostID(of: change.resource), let carnet = change.recordID,
            let resource = change.resource
        else { return false }
        let linked = try db.query(
            "SELECT patient_id FROM link WHERE carnet_id = ? ORDER BY patient_id LIMIT 1",
            [.text(carnet)])
        guard let patient = linked.first?.first?.text else { return false }
        let key: [SQLiteValue] = [.text(patient), .text(hostID)]
        let id = SQLiteValue.text(change.immunizationID)
        let existing = try db.query("SELECT remote_id FROM vaccination WHERE patient_id = ? AND host_id = ?", key)
        if let row = existing.first {
            if row.first == .null {
                try db.query(
                    """
                    UPDATE vaccination SET remote_id = ?, remote_version = ?, updated_at = ?
                    WHERE patient_id = ? AND host_id = ? AND remote_id IS NULL
                    """, [id, .integer(change.version), .integer(now)] + key)
            }
        } else {
            try db.query(
                """
                INSERT INTO vaccination (patient_id, host_id, carnet_id, resource, remote_id, remote_version, origin,
                                         state, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                key + [
                    .text(carnet), .blob(Array(resource.serialized().utf8)), id, .integer(change.version),
                    .text(VaccinationOrigin.host.rawValue), .text(VaccinationState.synced.rawValue), .integer(now),
                ])
        }
        try db.query("DELETE FROM proposal WHERE remote_id = ?", [id])
        return true
    }

    /// Proposals for the host (vaccinations to import, deletions to confirm, changes to
    /// refresh), for one patient or all linked patients.
    func proposals(patient: HostPatientID?) throws(CarnetFailure) -> Proposals {
        try withConnection { db throws(CarnetFailure) -> Proposals in
            var sql = """
                SELECT l.patient_id, p.carnet_id, p.remote_id, p.kind, p.resource, v.host_id
                FROM proposal p JOIN link l ON l.carnet_id = p.carnet_id
                LEFT JOIN vaccination v ON v.remote_id = p.remote_id
                """
            var values: [SQLiteValue] = []
            if let patient {
                sql += " WHERE l.patient_id = ?"
                values.append(.text(patient.value))
            }
            sql += " ORDER BY p.seen_at, p.remote_id LIMIT 10000"
            var proposals = Proposals()
            for r in try db.query(sql, values) where r.count == 6 {
                let patientID = JSONValue.string(r[0].text ?? "")
                let recordID = JSONValue.string(r[1].text ?? "")
                var resource: JSONValue?
                if case .blob(let bytes) = r[4] { resource = try? JSONValue.parse(bytes) }
                switch (r[3].text.flatMap(ProposalKind.init(rawValue:)), resource) {
                case (.removed?, _):
                    proposals.removed.append([
                        "patient_id": patientID, "carnet_id": recordID,
                        "immunization_id": .string(r[2].text ?? ""),
                        "host_vaccination_id": .string(r[5].text ?? ""),
                    ])
                case (.changed?, let resource?):
                    var item: JSONValue = [
                        "patient_id": patientID, "carnet_id": recordID,
                        "host_vaccination_id": .string(r[5].text ?? ""), "immunization": resource,
                    ]
                    item["recorded_by"] = Proposals.recordedBy(resource)
                    proposals.changed.append(item)
                case (.added?, let resource?):
                    var item: JSONValue = ["patient_id": patientID, "carnet_id": recordID, "immunization": resource]
                    item["recorded_by"] = Proposals.recordedBy(resource)
                    proposals.added.append(item)
                default:
                    continue
                }
            }
            return proposals
        }
    }
}
