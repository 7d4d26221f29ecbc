internal import CarnetJSON

/// The store's copy of a carnet, enough to compute its recommendations without the service
/// (docs/recommendations.md, "Offline"): the vaccinations the host holds, those recorded
/// elsewhere that sync brought (proposals not yet imported), the holder's birth date as the
/// service last gave it, and when sync last brought the service's changes.
extension LocalStore {
    /// Key of a carnet's birth date in `store_state` (no schema change: one small value per carnet).
    private static func birthDateKey(_ carnet: RecordID) -> String { "birth_date:" + carnet.value }

    /// States of a host's vaccination that the carnet no longer holds (or never will).
    static let notInLocalCopy: [SQLiteValue] = [
        .text(VaccinationState.removing.rawValue), .text(VaccinationState.removedRemotely.rawValue),
        .text(VaccinationState.failed.rawValue),
    ]

    func rememberBirthDate(_ text: String, of carnet: RecordID) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.query(
                """
                INSERT INTO store_state (key, value) VALUES (?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, [.text(LocalStore.birthDateKey(carnet)), .text(text)])
        }
    }

    func birthDate(of carnet: RecordID) throws(CarnetFailure) -> String? {
        try withConnection { db throws(CarnetFailure) -> String? in
            try db.query("SELECT value FROM store_state WHERE key = ?", [.text(LocalStore.birthDateKey(carnet))])
                .first?.first?.text
        }
    }

    /// The carnet's Immunizations as this store knows them: the host's (not being removed, not
    /// refused by the service) and the ones recorded elsewhere that sync proposed.
    func localImmunizations(of carnet: RecordID) throws(CarnetFailure) -> [JSONValue] {
        try withConnection { db throws(CarnetFailure) -> [JSONValue] in
            let excluded = LocalStore.notInLocalCopy
            let rows = try db.query(
                """
                SELECT resource FROM vaccination WHERE carnet_id = ? AND state NOT IN (?, ?, ?)
                UNION ALL
                SELECT resource FROM proposal WHERE carnet_id = ? AND kind = ? AND resource IS NOT NULL
                """,
                [.text(carnet.value)] + excluded + [.text(carnet.value), .text(ProposalKind.added.rawValue)])
            return rows.compactMap { row -> JSONValue? in
                guard case .blob(let bytes) = row.first else { return nil }
                return try? JSONValue.parse(bytes)
            }
        }
    }

    /// The same vaccinations with what a listing shows of each: the service's id when known, and
    /// the host's id for the host's own (nil for those recorded elsewhere).
    func localVaccinations(of carnet: RecordID) throws(CarnetFailure)
        -> [(resource: JSONValue, remoteID: String?, hostID: String?)]
    {
        try withConnection { db throws(CarnetFailure) -> [(resource: JSONValue, remoteID: String?, hostID: String?)] in
            let rows = try db.query(
                """
                SELECT resource, remote_id, host_id FROM vaccination WHERE carnet_id = ? AND state NOT IN (?, ?, ?)
                UNION ALL
                SELECT resource, remote_id, NULL FROM proposal
                WHERE carnet_id = ? AND kind = ? AND resource IS NOT NULL
                """,
                [.text(carnet.value)] + LocalStore.notInLocalCopy + [.text(carnet.value), .text(ProposalKind.added.rawValue)])
            return rows.compactMap { row -> (resource: JSONValue, remoteID: String?, hostID: String?)? in
                guard row.count == 3, case .blob(let bytes) = row[0], let resource = try? JSONValue.parse(bytes)
                else { return nil }
                return (resource, row[1].text, row[2].text)
            }
        }
    }

    /// Unix seconds of the last page of changes sync applied (`last_pull_at`), nil if never.
    func lastPullAt() throws(CarnetFailure) -> Int64? {
        try withConnection { db throws(CarnetFailure) -> Int64? in
            guard let value = try db.query("SELECT value FROM store_state WHERE key = 'last_pull_at'").first?.first
            else { return nil }
            if case .integer(let i) = value { return i }
            return nil
        }
    }
}
