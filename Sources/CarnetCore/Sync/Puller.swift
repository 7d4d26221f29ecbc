public import CarnetJSON

/// Brings in what changed on the service: one changes feed for the whole
/// professional, read from a stored cursor, page by page (not one request per
/// patient). Each page's effects and the new cursor are stored in one
/// transaction, so a crash mid-way re-reads the page rather than losing it;
/// applying a change twice is harmless (keyed on id, versions only move up).
struct Puller {
    let client: CarnetClient
    let token: Cancellation.Token

    static let pageSize = 100
    static let maxPages = 10_000

    struct Report {
        var pages = 0
        var changes = 0
    }

    func pull() throws(CarnetFailure) -> Report {
        var report = Report()
        if let wait = try client.store.serviceWait() { throw wait }
        let connection = ServiceConnection(client: client, token: token)
        var cursor = try client.store.changesCursor()
        while report.pages < Puller.maxPages {
            try token.check()
            let answer: ServiceConnection.Answer
            do throws(CarnetFailure) {
                answer = try connection.send(.get, "$changes",
                                             query: [("_cursor", String(cursor)), ("_count", String(Puller.pageSize))],
                                             expect: [200])
            } catch {
                if let retryAfter = error.retryAfterSeconds { try client.store.holdService(seconds: retryAfter) }
                throw error
            }
            let bundle = try connection.resource(answer, type: "Bundle")
            let entries = bundle["entry"]?.arrayValue ?? []
            let next = Puller.nextCursor(answer.response, bundle: bundle) ?? cursor
            guard next >= cursor else {
                throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.unexpectedStatus))
            }
            let changes = entries.compactMap(RemoteChange.init(entry:))
            try client.store.apply(changes, newCursor: next)
            report.pages += 1
            report.changes += changes.count
            let hasNext = (bundle["link"]?.arrayValue ?? []).contains { $0["relation"] == "next" }
            if !hasNext || next == cursor || entries.isEmpty { break }
            cursor = next
        }
        if report.changes > 0 { client.logger.log(.info, "pulled \(report.changes) change(s) in \(report.pages) page(s)") }
        return report
    }

    /// The feed's resume point: the X-Carnet-Cursor header, else the `cursor` link.
    static func nextCursor(_ response: HTTPResponse, bundle: JSONValue) -> Int64? {
        if let header = response.header("x-carnet-cursor"), let value = Int64(header), value >= 0 { return value }
        for link in bundle["link"]?.arrayValue ?? [] where link["relation"] == "cursor" {
            guard let url = link["url"]?.stringValue, let range = url.firstRange(of: "_cursor=") else { continue }
            let digits = url[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if let value = Int64(digits) { return value }
        }
        return nil
    }
}

/// One entry of the changes feed.
struct RemoteChange: Sendable {
    let immunizationID: String
    let version: Int64
    let deleted: Bool
    let carnetID: String?
    let resource: JSONValue?

    init?(entry: JSONValue) {
        guard let method = entry["request"]?["method"]?.stringValue else { return nil }
        let url = entry["request"]?["url"]?.stringValue ?? ""
        let resource = entry["resource"]
        if let resource, resource["resourceType"] != "Immunization" { return nil }
        if resource == nil, !url.hasPrefix("Immunization/") { return nil }
        let id = resource?["id"]?.stringValue ?? String(url.dropFirst("Immunization/".count).prefix { $0 != "/" })
        guard !id.isEmpty, id.utf8.count <= 64 else { return nil }
        immunizationID = id
        let etag = entry["response"]?["etag"]?.stringValue ?? ""
        let digits = etag.filter { $0.isASCII && $0.isNumber }
        version = resource?["meta"]?["versionId"]?.stringValue.flatMap { Int64($0) } ?? Int64(digits) ?? 0
        deleted = method == "DELETE"
        let reference = resource?["patient"]?["reference"]?.stringValue
        carnetID = reference.flatMap { $0.hasPrefix("Patient/") ? CarnetID(String($0.dropFirst(8)))?.value : nil }
        self.resource = deleted ? nil : resource
    }
}

extension LocalStore {
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
    /// back by a power cut, the page is read again (applying a change twice is harmless).
    func apply(_ changes: [RemoteChange], newCursor: Int64) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.relaxedTransaction { () throws(CarnetFailure) in
                let now = Clock.nowSeconds()
                for change in changes {
                    let id = SQLiteValue.text(change.immunizationID)
                    let ours = try db.query("SELECT patient_id, host_id, state, remote_version FROM vaccination WHERE remote_id = ?", [id])
                    if let row = ours.first {
                        let state = row[2].text ?? ""
                        if change.deleted {
                            if state == "synced" {
                                // Deleted elsewhere: the host is asked to confirm (docs/sync.md).
                                try db.query("UPDATE vaccination SET state = 'removed-remotely', updated_at = ? WHERE remote_id = ?",
                                             [.integer(now), id])
                                try db.query(
                                    """
                                    INSERT INTO proposal (remote_id, carnet_id, version, resource, kind, seen_at)
                                    SELECT remote_id, carnet_id, ?, NULL, 'removed', ? FROM vaccination WHERE remote_id = ?
                                    ON CONFLICT(remote_id) DO UPDATE SET kind = 'removed', version = excluded.version
                                    """, [.integer(change.version), .integer(now), id])
                            }
                        } else if change.version > (row[3].integer ?? 0) {
                            // Changed elsewhere: the service's version is the truth; remember it,
                            // and tell the host so it can refresh its copy (docs/sync.md).
                            try db.query("UPDATE vaccination SET remote_version = ? WHERE remote_id = ?",
                                         [.integer(change.version), id])
                            if state == "synced", let resource = change.resource {
                                try db.query(
                                    """
                                    INSERT INTO proposal (remote_id, carnet_id, version, resource, kind, seen_at)
                                    SELECT remote_id, carnet_id, ?, ?, 'changed', ? FROM vaccination WHERE remote_id = ?
                                    ON CONFLICT(remote_id) DO UPDATE SET version = excluded.version,
                                        resource = excluded.resource, kind = 'changed'
                                    WHERE excluded.version >= proposal.version
                                    """,
                                    [.integer(change.version), .blob(Array(resource.serialized().utf8)), .integer(now), id])
                            }
                        }
                        continue
                    }
                    if !(try db.query("SELECT 1 FROM ignored_remote WHERE remote_id = ?", [id])).isEmpty { continue }
                    if change.deleted {
                        // Added and deleted elsewhere before the host imported it.
                        try db.query("DELETE FROM proposal WHERE remote_id = ? AND kind = 'added'", [id])
                        continue
                    }
                    guard let carnet = change.carnetID, let resource = change.resource else { continue }
                    // Only carnets linked to a host patient concern this workstation.
                    guard !(try db.query("SELECT 1 FROM link WHERE carnet_id = ? LIMIT 1", [.text(carnet)])).isEmpty else {
                        continue
                    }
                    try db.query(
                        """
                        INSERT INTO proposal (remote_id, carnet_id, version, resource, kind, seen_at) VALUES (?, ?, ?, ?, 'added', ?)
                        ON CONFLICT(remote_id) DO UPDATE SET version = excluded.version, resource = excluded.resource
                        WHERE excluded.version >= proposal.version
                        """,
                        [id, .text(carnet), .integer(change.version), .blob(Array(resource.serialized().utf8)), .integer(now)])
                }
                try db.query(
                    "INSERT INTO store_state (key, value) VALUES ('changes_cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [.integer(newCursor)])
            }
        }
    }

    /// Proposals for the host (vaccinations to import, deletions to confirm),
    /// for one patient or all linked patients.
    func proposals(patient: HostPatientID?) throws(CarnetFailure)
        -> (added: [JSONValue], removed: [JSONValue], changed: [JSONValue])
    {
        try withConnection { db throws(CarnetFailure) -> (added: [JSONValue], removed: [JSONValue], changed: [JSONValue]) in
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
            var added: [JSONValue] = []
            var removed: [JSONValue] = []
            var changed: [JSONValue] = []
            for r in try db.query(sql, values) {
                let patientID = JSONValue.string(r[0].text ?? "")
                var resource: JSONValue?
                if case .blob(let bytes) = r[4] { resource = try? JSONValue.parse(bytes) }
                switch (r[3].text, resource) {
                case ("removed"?, _):
                    removed.append(["patient_id": patientID, "carnet_id": .string(r[1].text ?? ""),
                                    "immunization_id": .string(r[2].text ?? ""),
                                    "host_vaccination_id": .string(r[5].text ?? "")])
                case ("changed"?, let resource?):
                    changed.append(["patient_id": patientID, "carnet_id": .string(r[1].text ?? ""),
                                    "host_vaccination_id": .string(r[5].text ?? ""), "immunization": resource])
                case ("added"?, let resource?):
                    added.append(["patient_id": patientID, "carnet_id": .string(r[1].text ?? ""),
                                  "immunization": resource])
                default:
                    continue
                }
            }
            return (added, removed, changed)
        }
    }
}
