/// The local store's schema, as an append-only list of migrations. Version N
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
    ]

    static var latestVersion: Int { all.count }
}
