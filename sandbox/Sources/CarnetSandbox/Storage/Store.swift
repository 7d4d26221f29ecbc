// The sandbox's durable state: one SQLite file (WAL, synchronous=FULL) with versioned migrations.
//
// Every FHIR write appends a row to `history` in the same transaction as the current state.
// `history.seq` is assigned by SQLite's single writer, so its order is commit order: it is the
// changes-feed cursor, and reads under a revoked access are served "as of" a sequence number.
//
// The code calls a carnet a "record" (as the C API does); the tables keep their first names
// (`carnets`, `carnet_id`): renaming them would need a migration of every existing data
// directory for no change in behaviour.

import Foundation

/// A history row: one version of one resource (or its deletion).
struct HistoryEntry {
    let seq: Int64
    let resourceType: String
    let resourceID: String
    let recordID: String
    let version: Int
    let method: String  // POST, PUT or DELETE
    let resource: String?  // JSON text, nil for DELETE
    let atMs: Int64

    init(row: SQLRow) {
        seq = Int64(row.int("seq") ?? 0)
        resourceType = row.string("resource_type") ?? ""
        resourceID = row.string("resource_id") ?? ""
        recordID = row.string("carnet_id") ?? ""
        version = row.int("version") ?? 0
        method = row.string("method") ?? ""
        resource = row.string("resource")
        atMs = Int64(row.int("at_ms") ?? 0)
    }
}

struct Professional {
    let id: String
    let email: String
    let passwordHash: String
    let name: String
    let rpps: String
    init(row: SQLRow) {
        id = row.string("id") ?? ""
        email = row.string("email") ?? ""
        passwordHash = row.string("password_hash") ?? ""
        name = row.string("name") ?? ""
        rpps = row.string("rpps") ?? ""
    }
}

/// What a professional may see of a record: everything (horizon nil) or, after the patient
/// revoked the access, the record frozen as it was at sequence `horizon` (read-only).
struct Access {
    let horizon: Int64?
    var isActive: Bool { horizon == nil }
    var limit: Int64 { horizon ?? Int64.max }
}

final class Store: @unchecked Sendable {
    let db: Database

    init(path: String) throws {
        db = try Database(path: path)
        chmod(path, 0o600)  // the WAL and shared-memory files inherit this mode
        try migrate()
    }

    static let migrations: [String] = [
        // 1: initial schema
        """
        CREATE TABLE professionals(
            id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, password_hash TEXT NOT NULL,
            name TEXT NOT NULL, rpps TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE withdrawal_codes(
            code_hash TEXT PRIMARY KEY, professional_id TEXT NOT NULL REFERENCES professionals(id),
            created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER);
        CREATE TABLE certificates(
            serial TEXT PRIMARY KEY, professional_id TEXT NOT NULL REFERENCES professionals(id),
            thumbprint TEXT NOT NULL UNIQUE, not_before INTEGER NOT NULL, not_after INTEGER NOT NULL,
            pem TEXT NOT NULL, issued_at INTEGER NOT NULL, revoked_at INTEGER, revocation_reason TEXT);
        CREATE TABLE citizens(
            id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, share_code TEXT NOT NULL UNIQUE,
            last_resend_at INTEGER, created_at INTEGER NOT NULL);
        CREATE TABLE carnets(
            id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL REFERENCES citizens(id), pseudonym TEXT NOT NULL,
            birth_date TEXT NOT NULL, created_by TEXT, created_at INTEGER NOT NULL,
            version INTEGER NOT NULL, resource TEXT NOT NULL);
        CREATE TABLE access(
            professional_id TEXT NOT NULL REFERENCES professionals(id), carnet_id TEXT NOT NULL REFERENCES carnets(id),
            via TEXT NOT NULL, granted_at INTEGER NOT NULL, revoked_at INTEGER, horizon_seq INTEGER,
            PRIMARY KEY(professional_id, carnet_id));
        CREATE TABLE immunizations(
            id TEXT PRIMARY KEY, carnet_id TEXT NOT NULL REFERENCES carnets(id),
            identifier_system TEXT, identifier_value TEXT, version INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0, resource TEXT NOT NULL);
        CREATE UNIQUE INDEX immunizations_identifier ON immunizations(carnet_id, identifier_system, identifier_value)
            WHERE deleted = 0 AND identifier_value IS NOT NULL;
        CREATE TABLE history(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
            carnet_id TEXT NOT NULL, version INTEGER NOT NULL, method TEXT NOT NULL, resource TEXT,
            at_ms INTEGER NOT NULL, author TEXT);
        CREATE INDEX history_resource ON history(resource_id, seq);
        CREATE INDEX history_carnet ON history(carnet_id, seq);
        CREATE TABLE code_attempts(code_hash TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until INTEGER);
        """,
        // 2: care teams and creation keys. An access grant belongs to a professional (`access`) or
        // to a team (`team_access`, same columns); a professional belongs to at most one team.
        // `record_access` is what every read and write checks: one row per professional and
        // record, active (horizon NULL) if any grant that reaches them is active, else frozen at
        // the latest horizon among their frozen grants.
        """
        CREATE TABLE teams(
            id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
        CREATE TABLE team_members(
            professional_id TEXT PRIMARY KEY REFERENCES professionals(id), team_id TEXT NOT NULL REFERENCES teams(id),
            joined_at INTEGER NOT NULL);
        CREATE INDEX team_members_team ON team_members(team_id);
        CREATE TABLE team_access(
            team_id TEXT NOT NULL REFERENCES teams(id), carnet_id TEXT NOT NULL REFERENCES carnets(id),
            via TEXT NOT NULL, granted_at INTEGER NOT NULL, revoked_at INTEGER, horizon_seq INTEGER,
            PRIMARY KEY(team_id, carnet_id));
        CREATE VIEW record_access AS
            SELECT professional_id, carnet_id,
                   CASE WHEN COUNT(*) > COUNT(horizon_seq) THEN NULL ELSE MAX(horizon_seq) END AS horizon_seq
            FROM (SELECT professional_id, carnet_id, horizon_seq FROM access
                  UNION ALL
                  SELECT m.professional_id, t.carnet_id, t.horizon_seq
                  FROM team_access t JOIN team_members m ON m.team_id = t.team_id)
            GROUP BY professional_id, carnet_id;
        CREATE TABLE idempotency_keys(
            professional_id TEXT NOT NULL REFERENCES professionals(id), key TEXT NOT NULL,
            fingerprint TEXT NOT NULL, carnet_id TEXT NOT NULL REFERENCES carnets(id), created_at INTEGER NOT NULL,
            PRIMARY KEY(professional_id, key));
        """,
    ]

    private func migrate() throws {
        let current = try db.query("PRAGMA user_version").first?.int("user_version") ?? 0
        guard current < Store.migrations.count else { return }
        try db.transaction {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            let version = try db.query("PRAGMA user_version").first?.int("user_version") ?? 0
            for index in version..<Store.migrations.count {
                try db.execute(Store.migrations[index])
                try db.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }

    // MARK: Professionals

    func professional(email: String) throws -> Professional? {
        try db.query("SELECT * FROM professionals WHERE email = ?", [email]).first.map(Professional.init)
    }

    func professional(id: String) throws -> Professional? {
        try db.query("SELECT * FROM professionals WHERE id = ?", [id]).first.map(Professional.init)
    }

    // MARK: History and versions

    @discardableResult
    func appendHistory(
        type: String, id: String, record: String, version: Int, method: String,
        resource: String?, atMs: Int64, author: String
    ) throws -> Int64 {
        try db.query(
            "INSERT INTO history(resource_type, resource_id, carnet_id, version, method, resource, at_ms, "
                + "author) VALUES(?,?,?,?,?,?,?,?) RETURNING seq",
            [type, id, record, version, method, resource, atMs, author]
        ).first.flatMap { $0.int("seq") }.map(Int64.init) ?? 0
    }

    func maxSeq() throws -> Int64 {
        Int64(try db.query("SELECT COALESCE(MAX(seq), 0) AS seq FROM history").first?.int("seq") ?? 0)
    }

    /// The latest version of a resource visible up to `limit`.
    func latest(id: String, type: String, limit: Int64) throws -> HistoryEntry? {
        try db.query(
            "SELECT * FROM history WHERE resource_id = ? AND resource_type = ? AND seq <= ? ORDER BY seq DESC LIMIT 1",
            [id, type, limit]
        ).first.map(HistoryEntry.init)
    }

    func version(id: String, type: String, version: Int, limit: Int64) throws -> HistoryEntry? {
        try db.query(
            "SELECT * FROM history WHERE resource_id = ? AND resource_type = ? AND version = ? AND seq <= ? LIMIT 1",
            [id, type, version, limit]
        ).first.map(HistoryEntry.init)
    }

    // MARK: Access control

    /// What `professional` may see of `record`, through its own grant or its team's.
    func access(professional: String, record: String) throws -> Access? {
        guard
            let row = try db.query(
                "SELECT horizon_seq FROM record_access WHERE professional_id = ? AND carnet_id = ?",
                [professional, record]
            ).first
        else { return nil }
        return Access(horizon: row.int("horizon_seq").map(Int64.init))
    }

    /// A creation or claim: the grant goes to the professional's team when it has one (the
    /// carnet is the team's, docs/protocol.md "Care teams"), else to the professional.
    func grantAccess(professional: String, record: String, via: String) throws {
        if let team = try team(ofProfessional: professional) {
            try db.query(
                """
                INSERT INTO team_access(team_id, carnet_id, via, granted_at) VALUES(?,?,?,?)
                ON CONFLICT(team_id, carnet_id)
                    DO UPDATE SET revoked_at = NULL, horizon_seq = NULL, via = excluded.via
                """, [team.id, record, via, Time.nowMs()])
            return
        }
        try db.query(
            """
            INSERT INTO access(professional_id, carnet_id, via, granted_at) VALUES(?,?,?,?)
            ON CONFLICT(professional_id, carnet_id)
                DO UPDATE SET revoked_at = NULL, horizon_seq = NULL, via = excluded.via
            """, [professional, record, via, Time.nowMs()])
    }

    /// The patient withdrew this professional's access: every active grant through which it sees
    /// the record (its own and its team's) freezes at the current sequence. Returns the team whose
    /// grant froze, if any, and whether anything changed.
    func revokeAccess(professional: String, record: String) throws -> (changed: Bool, team: String?) {
        try db.transaction {
            let horizon = try maxSeq()
            let now = Time.nowMs()
            try db.query(
                "UPDATE access SET revoked_at = ?, horizon_seq = ? WHERE professional_id = ? AND carnet_id = "
                    + "? AND revoked_at IS NULL",
                [now, horizon, professional, record])
            var changed = db.changes > 0
            var frozenTeam: String? = nil
            if let team = try team(ofProfessional: professional) {
                try db.query(
                    "UPDATE team_access SET revoked_at = ?, horizon_seq = ? WHERE team_id = ? AND carnet_id = ? "
                        + "AND revoked_at IS NULL",
                    [now, horizon, team.id, record])
                if db.changes > 0 {
                    changed = true
                    frozenTeam = team.id
                }
            }
            return (changed, frozenTeam)
        }
    }

    /// The patient withdrew a team's access: the record freezes for every member.
    func revokeAccess(team: String, record: String) throws -> Bool {
        try db.transaction {
            let horizon = try maxSeq()
            try db.query(
                "UPDATE team_access SET revoked_at = ?, horizon_seq = ? WHERE team_id = ? AND carnet_id = ? "
                    + "AND revoked_at IS NULL",
                [Time.nowMs(), horizon, team, record])
            return db.changes > 0
        }
    }
}
