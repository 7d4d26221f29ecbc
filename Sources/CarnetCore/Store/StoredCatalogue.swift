/// The vaccine catalogue imported at run time (a newer NUVA release), kept in the store so that
/// it survives a restart: `store_state` key `catalogue`, the catalogue's own serialised form.
extension LocalStore {
    func storedCatalogue() throws(CarnetFailure) -> [UInt8]? {
        try withConnection { db throws(CarnetFailure) -> [UInt8]? in
            let rows = try db.query("SELECT value FROM store_state WHERE key = 'catalogue'")
            guard case .blob(let bytes)? = rows.first?.first else { return nil }
            return bytes
        }
    }

    /// Durable: the import the doctor (or the vendor) asked for is on disk before the call returns.
    func storeCatalogue(_ bytes: [UInt8]) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.durableTransaction { () throws(CarnetFailure) in
                try db.query(
                    """
                    INSERT INTO store_state (key, value) VALUES ('catalogue', ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    """, [.blob(bytes)])
            }
        }
    }
}
