internal import CSQLite

/// One SQLite connection. All SQLite C calls of the project live in this file;
/// everything above it speaks Swift values and `CarnetFailure`.
///
/// Sendable because `LocalStore` only touches it under its mutex (and SQLite
/// itself is opened in serialized mode as a second line of defence).
final class SQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// Prepared statements by SQL text, reused (reset and unbound after each use): the sync engine
    /// runs the same few statements for every pushed item, and preparing dominated their cost.
    /// The statements are literals of the code, so the cache stays small; it is bounded anyway.
    private var statements: [String: OpaquePointer] = [:]
    private static let maxCachedStatements = 128
    /// How long a statement waits for another connection's write lock before failing.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens (creating if needed) the database file. The caller has already
    /// created the file with restrictive permissions; SQLite gives its -wal and
    /// -shm files the same permissions as the database.
    init(path: String) throws(CarnetFailure) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let code = db.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_close_v2(db)
            throw SQLiteConnection.failure(code: code)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // Another process (a second EHR window) may hold the write lock briefly.
        sqlite3_busy_timeout(db, SQLiteConnection.busyTimeoutMilliseconds)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// The cached statement for `sql`, prepared on first use.
    private func prepared(_ handle: OpaquePointer, _ sql: String) throws(CarnetFailure) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteConnection.failure(code: sqlite3_extended_errcode(handle))
        }
        if statements.count >= SQLiteConnection.maxCachedStatements {
            for old in statements.values { sqlite3_finalize(old) }
            statements.removeAll(keepingCapacity: true)
        }
        statements[sql] = statement
        return statement
    }

    /// Runs one or more statements without results (schema, pragmas).
    func execute(_ sql: String) throws(CarnetFailure) {
        guard let handle else { throw .internal("database closed") }
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteConnection.failure(code: sqlite3_extended_errcode(handle)) }
    }

    /// Puts the file in WAL mode, waiting for another connection that is doing the same.
    ///
    /// Why not a plain `execute`: on a new file, two connections opened at once (two EHR windows,
    /// two threads of one host) both start the switch; the second holds a read lock and must
    /// upgrade it while the first holds the write lock, so SQLite answers it SQLITE_BUSY at once,
    /// without the busy handler (waiting could deadlock). When it tries again the first has
    /// finished and the file is WAL already. Bounded like the busy timeout.
    func enableWriteAheadLog() throws(CarnetFailure) {
        var waitedMilliseconds: Int32 = 0
        var pause: Int32 = 1
        while true {
            do {
                try execute("PRAGMA journal_mode=WAL")
                return
            } catch let failure {
                guard failure.code & 0xFF == SQLITE_BUSY, waitedMilliseconds < SQLiteConnection.busyTimeoutMilliseconds
                else { throw failure }
            }
            sqlite3_sleep(pause)
            waitedMilliseconds += pause
            pause = min(pause * 2, 50)
        }
    }

    /// Runs a statement with bound values, returning every row.
    @discardableResult
    func query(_ sql: String, _ values: [SQLiteValue] = []) throws(CarnetFailure) -> [[SQLiteValue]] {
        guard let handle else { throw .internal("database closed") }
        let statement = try prepared(handle, sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        var rc = SQLITE_OK
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let i): rc = sqlite3_bind_int64(statement, index, i)
            case .text(let s):
                rc = s.withCString { csqlite_bind_text_transient(statement, index, $0, -1) }
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { buffer in
                    csqlite_bind_blob_transient(statement, index, buffer.baseAddress, Int32(clamping: buffer.count))
                }
            }
            guard rc == SQLITE_OK else { throw SQLiteConnection.failure(code: sqlite3_extended_errcode(handle)) }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw SQLiteConnection.failure(code: sqlite3_extended_errcode(handle)) }
            let columns = sqlite3_column_count(statement)
            var row: [SQLiteValue] = []
            row.reserveCapacity(Int(columns))
            for column in 0..<columns {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_TEXT:
                    if let text = sqlite3_column_text(statement, column) {
                        let count = Int(sqlite3_column_bytes(statement, column))
                        row.append(
                            .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)))
                    } else {
                        row.append(.null)
                    }
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    if let bytes = sqlite3_column_blob(statement, column), count > 0 {
                        row.append(.blob(Array(UnsafeRawBufferPointer(start: bytes, count: count))))
                    } else {
                        row.append(.blob([]))
                    }
                default: row.append(.null)
                }
            }
            rows.append(row)
        }
    }

    /// The first column of the first row as text, for a statement with one text parameter: the
    /// lookups on the hot path (carnet_link_get) without building rows of values.
    func firstText(_ sql: String, _ parameter: String) throws(CarnetFailure) -> String? {
        guard let handle else { throw .internal("database closed") }
        let statement = try prepared(handle, sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let bound = parameter.withCString { csqlite_bind_text_transient(statement, 1, $0, -1) }
        guard bound == SQLITE_OK else { throw SQLiteConnection.failure(code: sqlite3_extended_errcode(handle)) }
        let rc = sqlite3_step(statement)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw SQLiteConnection.failure(code: sqlite3_extended_errcode(handle)) }
        guard sqlite3_column_type(statement, 0) == SQLITE_TEXT, let text = sqlite3_column_text(statement, 0) else {
            return nil
        }
        let count = Int(sqlite3_column_bytes(statement, 0))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is durable, or none.
    func transaction<T>(_ body: () throws(CarnetFailure) -> T) throws(CarnetFailure) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// A transaction whose commit is fsync'd, whatever an earlier relaxed
    /// transaction left the connection at (even if restoring FULL failed):
    /// what the doctor records must survive a power cut once the call returns.
    func durableTransaction<T>(_ body: () throws(CarnetFailure) -> T) throws(CarnetFailure) -> T {
        try execute("PRAGMA synchronous=FULL")
        return try transaction(body)
    }

    /// A transaction whose commit is not flushed to disk by itself (synchronous=NORMAL for this
    /// commit only; the connection stays FULL for everything else). For bookkeeping that is safe
    /// to redo: marking an item delivered, counting an attempt, moving the changes cursor. In WAL
    /// mode the commit is still atomic and ordered: it becomes durable with the next FULL commit
    /// or checkpoint, and a power cut can only roll it back, never corrupt or reorder. This saves
    /// one fsync per pushed item (docs/performance.md); what the host recorded is always committed
    /// with `durableTransaction` before the call returns.
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

    /// Maps an SQLite result code to the failure the doctor sees.
    static func failure(code: Int32) -> CarnetFailure {
        switch code & 0xFF {
        case SQLITE_FULL: return .storage(code: code, .storageFull)
        case SQLITE_BUSY, SQLITE_LOCKED: return .storage(code: code, .storeLocked)
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY: return .storage(code: code, .storeDirectoryUnusable)
        default: return .storage(code: code)
        }
    }
}

/// A value bound to or read from SQLite.
enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])

    var integer: Int64? { if case .integer(let i) = self { return i } else { return nil } }
    var text: String? { if case .text(let s) = self { return s } else { return nil } }
}
