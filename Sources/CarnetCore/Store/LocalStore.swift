internal import Synchronization

/// The professional's local state: one SQLite file per store directory (WAL,
/// synchronous=FULL so a committed write survives a power cut), migrated to
/// the latest schema when opened. Thread-safe: every access goes through one
/// mutex-guarded connection.
public final class LocalStore: Sendable {
    public static let fileName = "carnet.sqlite"

    public let path: String
    private let connection: SQLiteConnection
    /// Guards `connection`: one statement sequence at a time per client.
    private let lock = Mutex<Void>(())

    public init(directory: String) throws(CarnetFailure) {
        try FileSystem.ensurePrivateDirectory(directory)
        let path = FileSystem.join(directory, LocalStore.fileName)
        try FileSystem.ensurePrivateFile(path)
        let db = try SQLiteConnection(path: path)
        try db.enableWriteAheadLog()
        try db.execute("PRAGMA synchronous=FULL")
        try db.execute("PRAGMA foreign_keys=ON")
        try LocalStore.migrate(db)
        self.path = path
        self.connection = db
    }

    /// The schema version the file is at (after migration: the latest).
    public func schemaVersion() throws(CarnetFailure) -> Int {
        try withConnection { db throws(CarnetFailure) in try LocalStore.readVersion(db) }
    }

    @discardableResult
    func withConnection<T>(_ body: (SQLiteConnection) throws(CarnetFailure) -> T) throws(CarnetFailure) -> T {
        // Mutex.withLock is generic over the error type, so the typed error passes through.
        try lock.withLock { (_: inout sending Void) throws(CarnetFailure) -> T in
            try body(connection)
        }
    }

    static func readVersion(_ db: SQLiteConnection) throws(CarnetFailure) -> Int {
        let rows = try db.query("SELECT MAX(version) FROM schema_version")
        return Int(rows.first?.first?.integer ?? 0)
    }

    /// Applies the missing migrations in one IMMEDIATE transaction with their
    /// version rows: a crash leaves the file at its old version, never half
    /// migrated, and a new store costs one commit instead of one per step.
    /// The version is read again inside the transaction: another client (a
    /// second EHR window) may have migrated the same file meanwhile.
    static func migrate(_ db: SQLiteConnection) throws(CarnetFailure) {
        try db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)")
        let latest = StoreMigrations.latestVersion
        let found = try readVersion(db)
        guard found <= latest else {
            throw .storage(code: 0, .storeNewerThanLibrary(found: found, supported: latest))
        }
        guard found < latest else { return }
        try db.transaction { () throws(CarnetFailure) in
            let current = try readVersion(db)
            guard current < latest else { return }
            for version in (current + 1)...latest {
                try db.execute(StoreMigrations.all[version - 1])
                try db.query(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    [.integer(Int64(version)), .integer(Clock.nowSeconds())])
            }
        }
    }
}
