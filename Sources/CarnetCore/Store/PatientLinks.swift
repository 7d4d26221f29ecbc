/// Which carnet (the service's Patient id, a UUID) each host patient is linked
/// to. The guide: "AlmaPro mémorise pour chaque patient cet UUID".
extension LocalStore {
    public func recordID(forPatient patientID: HostPatientID) throws(CarnetFailure) -> RecordID? {
        try withConnection { db throws(CarnetFailure) in
            guard let text = try db.firstText("SELECT carnet_id FROM link WHERE patient_id = ?", patientID.value)
            else { return nil }
            return RecordID(text)
        }
    }

    /// Links (or re-links) a patient to a carnet.
    public func link(patient patientID: HostPatientID, to recordID: RecordID) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.durableTransaction { () throws(CarnetFailure) in
                try db.query(
                    """
                    INSERT INTO link (patient_id, carnet_id, linked_at) VALUES (?, ?, ?)
                    ON CONFLICT(patient_id) DO UPDATE SET carnet_id = excluded.carnet_id, linked_at = excluded.linked_at
                    """,
                    [.text(patientID.value), .text(recordID.value), .integer(Clock.nowSeconds())])
            }
        }
    }

    /// Forgets a patient's link; returns whether there was one.
    @discardableResult
    public func unlink(patient patientID: HostPatientID) throws(CarnetFailure) -> Bool {
        try withConnection { db throws(CarnetFailure) in
            let rows = try db.query(
                "DELETE FROM link WHERE patient_id = ? RETURNING carnet_id", [.text(patientID.value)])
            return !rows.isEmpty
        }
    }

    public func linkCount() throws(CarnetFailure) -> Int {
        try withConnection { db throws(CarnetFailure) in
            Int(try db.query("SELECT COUNT(*) FROM link").first?.first?.integer ?? 0)
        }
    }
}
