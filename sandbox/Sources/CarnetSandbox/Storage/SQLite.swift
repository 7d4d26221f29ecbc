// A minimal, thread-safe wrapper over the system SQLite 3 C API.
//
// One connection per process, serialised by a lock (SQLite's own per-call mutex is off): the
// server and the admin/citizen subcommands are separate processes sharing the file in WAL mode
// with `synchronous=FULL`; SQLite's own file locking (plus a busy timeout) orders writers across
// processes.

import CSandboxSQLite
import Foundation

struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
    var isConstraintViolation: Bool { code & 0xFF == SQLITE_CONSTRAINT }
}

enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])
}

protocol SQLBindable { var sqlValue: SQLValue { get } }
extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { var sqlValue: SQLValue { .int(self) } }
extension Bool: SQLBindable { var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
extension SQLValue: SQLBindable { var sqlValue: SQLValue { self } }

/// One result row, columns by name.
struct SQLRow {
    let values: [String: SQLValue]
    func string(_ column: String) -> String? {
        switch values[column] {
        case .text(let s): return s
        case .int(let i): return String(i)
        default: return nil
        }
    }
    func int(_ column: String) -> Int? {
        switch values[column] {
        case .int(let i): return Int(i)
        case .text(let s): return Int(s)
        default: return nil
        }
    }
}

final class Database: @unchecked Sendable {
    private var handle: OpaquePointer?
    private let lock = NSRecursiveLock()
    /// Transactions open on this connection (guarded by `lock`): 0 none, 1 a transaction, more
    /// savepoints inside it.
    private var depth = 0
    /// Prepared statements by SQL text (guarded by `lock`): parsing and planning the same few
    /// dozen statements again for every entry of a batch was most of the service's SQLite time.
    /// Bounded, so that SQL built with a variable number of placeholders cannot grow it forever.
    private var prepared: [String: OpaquePointer] = [:]
    private static let preparedLimit = 128

    init(path: String) throws {
        var db: OpaquePointer?
        // NOMUTEX: `lock` already serialises every use of the connection and of its statements,
        // so SQLite's own per-call mutex (taken again by each bind, step and column read) was
        // pure cost: about 7 % of the service's CPU on a batch.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: message)
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
        // A batch runs each entry in a savepoint, and SQLite keeps a savepoint's journal in a
        // temporary file by default: one file created and removed per entry. In memory instead.
        try execute("PRAGMA temp_store=MEMORY")
    }

    deinit {
        for statement in prepared.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    private func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        lock.lock(); defer { lock.unlock() }
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Runs one statement with bound parameters; returns every row.
    @discardableResult
    func query(_ sql: String, _ parameters: [any SQLBindable] = []) throws -> [SQLRow] {
        lock.lock(); defer { lock.unlock() }
        let statement: OpaquePointer
        let cached: Bool
        if let found = prepared[sql] {
            statement = found
            cached = true
        } else {
            var fresh: OpaquePointer?
            let rc = sqlite3_prepare_v2(handle, sql, -1, &fresh, nil)
            guard rc == SQLITE_OK, let fresh else { throw error(rc) }
            statement = fresh
            cached = prepared.count < Database.preparedLimit
            if cached { prepared[sql] = fresh }
        }
        defer {
            if cached {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            } else {
                sqlite3_finalize(statement)
            }
        }
        for (i, parameter) in parameters.enumerated() {
            let index = Int32(i + 1)
            let brc: Int32
            switch parameter.sqlValue {
            case .null: brc = sqlite3_bind_null(statement, index)
            case .int(let v): brc = sqlite3_bind_int64(statement, index, v)
            case .text(let s): brc = sqlite3_bind_text(statement, index, s, -1, csandbox_sqlite_transient())
            case .blob(let b):
                brc = b.withUnsafeBytes {
                    sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), csandbox_sqlite_transient())
                }
            }
            guard brc == SQLITE_OK else { throw error(brc) }
        }
        var rows: [SQLRow] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw error(step) }
            var values: [String: SQLValue] = [:]
            for column in 0..<sqlite3_column_count(statement) {
                let name = String(cString: sqlite3_column_name(statement, column))
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: values[name] = .int(sqlite3_column_int64(statement, column))
                case SQLITE_TEXT: values[name] = .text(String(cString: sqlite3_column_text(statement, column)))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    if let pointer = sqlite3_column_blob(statement, column) {
                        values[name] = .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
                    } else {
                        values[name] = .blob([])
                    }
                case SQLITE_FLOAT: values[name] = .int(Int64(sqlite3_column_double(statement, column)))
                default: values[name] = .null
                }
            }
            rows.append(SQLRow(values: values))
        }
        return rows
    }

    /// Rows changed by the last statement: read it under the same lock as that statement (inside
    /// `transaction`), or another thread's statement may come in between.
    var changes: Int {
        lock.lock()
        defer { lock.unlock() }
        return Int(sqlite3_changes(handle))
    }

    /// One transaction-control statement (BEGIN, COMMIT, SAVEPOINT...), prepared once and kept:
    /// `sqlite3_exec` parses it again at every call, and a batch opens a savepoint or two per
    /// entry (about a tenth of the service's CPU on a batch before they were kept).
    private func control(_ sql: String) throws {
        try query(sql)
    }

    /// Runs `body` in an IMMEDIATE transaction (the write lock is taken up front, so concurrent
    /// writers from other processes wait on the busy timeout instead of failing mid-way).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        // Nested (a batch's entries inside the batch's transaction): a savepoint, so a failing
        // entry rolls back alone and the bundle still commits once.
        if depth > 0 {
            let name = "sp\(depth)"
            try control("SAVEPOINT " + name)
            depth += 1
            defer { depth -= 1 }
            do {
                let result = try body()
                try control("RELEASE " + name)
                return result
            } catch {
                try? control("ROLLBACK TO " + name)
                try? control("RELEASE " + name)
                throw error
            }
        }
        try control("BEGIN IMMEDIATE")
        depth = 1
        defer { depth = 0 }
        do {
            let result = try body()
            try control("COMMIT")
            return result
        } catch {
            try? control("ROLLBACK")
            throw error
        }
    }
}
