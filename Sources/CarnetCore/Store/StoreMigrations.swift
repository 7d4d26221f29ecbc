/// The local store's schema, as an append-only list of migrations (migration 3 keeps one line over
/// 120 columns: a shipped migration is never edited, not even its whitespace). Version N
/// is the state after applying the first N entries. Never edit a shipped
/// migration: add a new one.
enum StoreMigrations {
    static let all: [String] = [
        // 1: patient <-> carnet links, and a key/value table for store-wide state
        // (sync cursor, identity metadata).
        """
        CREATE TABLE link (
            patient_id TEXT PRIMARY KEY NOT NULL,
            carnet_id  TEXT NOT NULL,
            linked_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX link_by_carnet ON link(carnet_id);
        CREATE TABLE store_state (
            key   TEXT PRIMARY KEY NOT NULL,
            value BLOB
        ) WITHOUT ROWID;
        """,
        // 2: the professional's client certificate and its private key, sealed
        // (Credentials/KeyProtection.swift). One identity per store.
        """
        CREATE TABLE identity (
            slot            INTEGER PRIMARY KEY CHECK (slot = 1),
            certificate_pem BLOB NOT NULL,
            chain_pem       BLOB NOT NULL,
            sealed_key      BLOB NOT NULL,
            installed_at    INTEGER NOT NULL
        );
        """,
        // 3: vaccinations the host recorded or imported, the outbox of changes
        // to push, what the service proposed, and the installation's identity.
        """
        CREATE TABLE vaccination (
            patient_id     TEXT NOT NULL,
            host_id        TEXT NOT NULL,
            carnet_id      TEXT NOT NULL,
            resource       BLOB NOT NULL,
            remote_id      TEXT,
            remote_version INTEGER,
            origin         TEXT NOT NULL CHECK (origin IN ('host', 'imported')),
            state          TEXT NOT NULL CHECK (state IN ('pending', 'synced', 'removing', 'failed', 'removed-remotely')),
            updated_at     INTEGER NOT NULL,
            PRIMARY KEY (patient_id, host_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX vaccination_by_remote ON vaccination(remote_id) WHERE remote_id IS NOT NULL;
        CREATE INDEX vaccination_by_carnet ON vaccination(carnet_id);
        CREATE TABLE outbox (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            patient_id      TEXT NOT NULL,
            host_id         TEXT NOT NULL,
            operation       TEXT NOT NULL CHECK (operation IN ('add', 'remove')),
            created_at      INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            blocked         INTEGER NOT NULL DEFAULT 0,
            last_status     INTEGER,
            last_message    TEXT
        );
        CREATE INDEX outbox_by_patient ON outbox(patient_id, seq);
        CREATE TABLE proposal (
            remote_id  TEXT PRIMARY KEY NOT NULL,
            carnet_id  TEXT NOT NULL,
            version    INTEGER NOT NULL,
            resource   BLOB,
            kind       TEXT NOT NULL CHECK (kind IN ('added', 'removed')),
            seen_at    INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX proposal_by_carnet ON proposal(carnet_id);
        CREATE TABLE ignored_remote (
            remote_id TEXT PRIMARY KEY NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO store_state (key, value) VALUES ('install_id', lower(hex(randomblob(16))));
        """,
        // 4: proposals may also say that a vaccination the host holds was
        // changed elsewhere (SQLite cannot alter a CHECK: the table is rebuilt).
        """
        CREATE TABLE proposal_v4 (
            remote_id  TEXT PRIMARY KEY NOT NULL,
            carnet_id  TEXT NOT NULL,
            version    INTEGER NOT NULL,
            resource   BLOB,
            kind       TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'changed')),
            seen_at    INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO proposal_v4 SELECT remote_id, carnet_id, version, resource, kind, seen_at FROM proposal;
        DROP TABLE proposal;
        ALTER TABLE proposal_v4 RENAME TO proposal;
        CREATE INDEX proposal_by_carnet ON proposal(carnet_id);
        """,
        // 5: corrections — a vaccination can be `updating` (its correction waits in the outbox as
        // an `update`); the two tables are rebuilt to widen their CHECKs, rows and seqs kept. And
        // the creation keys of carnets being created.
        """
        CREATE TABLE vaccination_v5 (
            patient_id     TEXT NOT NULL,
            host_id        TEXT NOT NULL,
            carnet_id      TEXT NOT NULL,
            resource       BLOB NOT NULL,
            remote_id      TEXT,
            remote_version INTEGER,
            origin         TEXT NOT NULL CHECK (origin IN ('host', 'imported')),
            state          TEXT NOT NULL
                CHECK (state IN ('pending', 'synced', 'removing', 'failed', 'removed-remotely', 'updating')),
            updated_at     INTEGER NOT NULL,
            PRIMARY KEY (patient_id, host_id)
        ) WITHOUT ROWID;
        INSERT INTO vaccination_v5 SELECT patient_id, host_id, carnet_id, resource, remote_id, remote_version, origin,
            state, updated_at FROM vaccination;
        DROP TABLE vaccination;
        ALTER TABLE vaccination_v5 RENAME TO vaccination;
        CREATE UNIQUE INDEX vaccination_by_remote ON vaccination(remote_id) WHERE remote_id IS NOT NULL;
        CREATE INDEX vaccination_by_carnet ON vaccination(carnet_id);
        CREATE TABLE outbox_v5 (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            patient_id      TEXT NOT NULL,
            host_id         TEXT NOT NULL,
            operation       TEXT NOT NULL CHECK (operation IN ('add', 'remove', 'update')),
            created_at      INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            blocked         INTEGER NOT NULL DEFAULT 0,
            last_status     INTEGER,
            last_message    TEXT
        );
        INSERT INTO outbox_v5 SELECT seq, patient_id, host_id, operation, created_at, attempts, next_attempt_at,
            blocked, last_status, last_message FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_v5 RENAME TO outbox;
        CREATE INDEX outbox_by_patient ON outbox(patient_id, seq);
        -- The creation key of a carnet being created for a host patient, kept until the service's
        -- answer is known: a retry after a lost answer sends the same key (Idempotency-Key).
        CREATE TABLE record_creation (
            patient_id   TEXT PRIMARY KEY NOT NULL,
            creation_key TEXT NOT NULL,
            created_at   INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        // 6: the outbox by vaccination. Recording and delivering look for a vaccination's queued
        // operations (patient_id, host_id); outbox_by_patient alone made each of those a scan of
        // the patient's whole outbox, O(n²) for a backlog of one patient (docs/performance.md).
        """
        CREATE INDEX outbox_by_vaccination ON outbox(patient_id, host_id);
        """,
    ]

    static var latestVersion: Int { all.count }
}
