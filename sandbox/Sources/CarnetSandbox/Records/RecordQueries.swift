// Reads over many resources: searches (keyset paging), history, the changes feed.

extension RecordService {
    /// Live Immunizations of a record (as of the access horizon), ordered by id, after `after`.
    func searchImmunizations(
        record: String, professional: String?, after: String, count: Int,
        identifier: (system: String?, value: String)? = nil
    ) throws -> (entries: [HistoryEntry], total: Int) {
        var limit = Int64.max
        if let professional {
            guard let access = try store.access(professional: professional, record: record) else { return ([], 0) }
            limit = access.limit
        }
        var latest = """
            FROM history h WHERE h.carnet_id = ? AND h.resource_type = 'Immunization' AND h.seq <= ?
              AND h.seq = (SELECT MAX(h2.seq) FROM history h2 WHERE h2.resource_id = h.resource_id AND h2.seq <= ?)
              AND h.method != 'DELETE'
            """
        var parameters: [any SQLBindable] = [record, limit, limit]
        if let identifier {
            latest += " AND h.resource_id IN (SELECT id FROM immunizations WHERE carnet_id = ? AND identifier_value = ?"
            parameters += [record, identifier.value]
            if let system = identifier.system {
                latest += " AND identifier_system = ?"
                parameters.append(system)
            }
            latest += ")"
        }
        let total = try db.query("SELECT COUNT(*) AS n " + latest, parameters).first?.int("n") ?? 0
        let rows = try db.query(
            "SELECT h.* " + latest + " AND h.resource_id > ? ORDER BY h.resource_id LIMIT ?",
            parameters + [after, count])
        return (rows.map(HistoryEntry.init), total)
    }

    /// Carnets this professional can see (its own grants and its team's), ordered by id, after `after`.
    func searchPatients(professional: String, after: String, count: Int) throws -> (ids: [String], total: Int) {
        let total =
            try db.query("SELECT COUNT(*) AS n FROM record_access WHERE professional_id = ?", [professional]).first?
            .int("n") ?? 0
        let rows = try db.query(
            "SELECT carnet_id FROM record_access WHERE professional_id = ? AND carnet_id > ? ORDER BY carnet_id "
                + "LIMIT ?",
            [professional, after, count])
        return (rows.compactMap { $0.string("carnet_id") }, total)
    }

    /// History, newest first: of one resource, or of every resource of `type` this professional can see.
    func history(
        type: String, id: String?, professional: String, sinceMs: Int64?, before: Int64, count: Int
    ) throws -> [HistoryEntry] {
        if let id {
            let (_, access) = try visibleRecord(ofResource: id, type: type, professional: professional)
            return try db.query(
                "SELECT * FROM history WHERE resource_id = ? AND resource_type = ? AND seq <= ? AND seq < ? "
                    + "AND at_ms > ? ORDER BY seq DESC LIMIT ?",
                [id, type, access.limit, before, sinceMs ?? -1, count]
            ).map(HistoryEntry.init)
        }
        return try db.query(
            """
            SELECT h.* FROM history h JOIN record_access a ON a.carnet_id = h.carnet_id AND a.professional_id = ?
            WHERE h.resource_type = ? AND h.seq <= COALESCE(a.horizon_seq, 9223372036854775807)
              AND h.seq < ? AND h.at_ms > ?
            ORDER BY h.seq DESC LIMIT ?
            """, [professional, type, before, sinceMs ?? -1, count]
        ).map(HistoryEntry.init)
    }

    /// The changes feed: every change (Patient and Immunization) in every record this professional
    /// can see, its team's included, in commit order, after cursor `after`. A record that became
    /// visible later (a claim, joining a team) shows its changes after the cursor like any other.
    func changes(professional: String, after: Int64, count: Int) throws -> [HistoryEntry] {
        try db.query(
            """
            SELECT h.* FROM history h JOIN record_access a ON a.carnet_id = h.carnet_id AND a.professional_id = ?
            WHERE h.seq > ? AND h.seq <= COALESCE(a.horizon_seq, 9223372036854775807)
            ORDER BY h.seq ASC LIMIT ?
            """, [professional, after, count]
        ).map(HistoryEntry.init)
    }
}
