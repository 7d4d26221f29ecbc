// The CVE's business operations, shared by the HTTP handlers and the admin/citizen subcommands.
// Each method validates, runs one SQLite transaction, then sends email after the commit.

import Foundation

/// Who performs a write: a professional (over mTLS or via the CLI) or the citizen (CLI).
enum Actor {
    case professional(String)
    case citizen
    case admin

    var author: String {
        switch self {
        case .professional(let id): return "professional:\(id)"
        case .citizen: return "citizen"
        case .admin: return "admin"
        }
    }
}

struct Written {
    let status: Int  // 200 or 201
    let resource: JSONValue
    let version: Int
    let id: String
}

final class RecordService: @unchecked Sendable {
    let store: Store
    let mailer: Mailer
    let keyed: Keyed
    let vaccines: any VaccineLookup
    let log: EventLog
    var db: Database { store.db }

    init(store: Store, mailer: Mailer, keyed: Keyed, vaccines: any VaccineLookup, log: EventLog) {
        self.store = store
        self.mailer = mailer
        self.keyed = keyed
        self.vaccines = vaccines
        self.log = log
    }

    static let shareCodeLength = 10  // 10 × 5 bits = 50 bits, plus a check character

    // MARK: Reads

    /// The access a professional has to the record holding resource `id`; the same 404 whether the
    /// resource does not exist or belongs to a record this professional cannot see.
    func visibleRecord(
        ofResource id: String, type: String, professional: String
    ) throws -> (record: String, access: Access) {
        let record: String?
        if type == "Patient" {
            record = try db.query("SELECT id FROM carnets WHERE id = ?", [id]).first?.string("id")
        } else {
            record = try db.query(
                "SELECT carnet_id FROM history WHERE resource_id = ? AND resource_type = ? LIMIT 1", [id, type]
            ).first?.string("carnet_id")
        }
        guard let record, let access = try store.access(professional: professional, record: record) else {
            throw FHIRError.notFound(type, id)
        }
        return (record, access)
    }

    /// Current (or frozen) version of a resource; 410 once deleted.
    func read(type: String, id: String, professional: String, version: Int? = nil) throws -> (JSONValue, Int) {
        let (_, access) = try visibleRecord(ofResource: id, type: type, professional: professional)
        let entry: HistoryEntry?
        if let version {
            entry = try store.version(id: id, type: type, version: version, limit: access.limit)
        } else {
            entry = try store.latest(id: id, type: type, limit: access.limit)
        }
        guard let entry else {
            if version != nil {
                throw FHIRError(
                    status: 404, code: .notFound, message: "\(type)/\(id) has no such version", detail: .notFound)
            }
            throw FHIRError.notFound(type, id)
        }
        guard entry.method != "DELETE", let text = entry.resource else {
            if version != nil {
                throw FHIRError(
                    status: 410, code: .deleted, message: "this version of \(type)/\(id) is a deletion",
                    detail: .deleted)
            }
            throw FHIRError(status: 410, code: .deleted, message: "\(type)/\(id) was deleted", detail: .deleted)
        }
        return (try JSONValue.parse(Array(text.utf8)), entry.version)
    }
}
