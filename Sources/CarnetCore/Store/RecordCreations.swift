/// The creation key of a carnet being created for a host patient (table `record_creation`).
///
/// Made and stored durably before the first attempt, sent as `Idempotency-Key`, and kept until the
/// service's answer is known: a retry after a lost answer (by the host, or after a restart) sends
/// the same key, and the service answers with the carnet it created the first time — one carnet,
/// one email. Forgotten when the carnet is linked, or when the service refused the creation for
/// good (the host will send a corrected document, which is a new creation).
extension LocalStore {
    func creationKey(for patient: HostPatientID) throws(CarnetFailure) -> String {
        let fresh = RequestID.make()
        guard fresh.utf8.count == 24 else { throw .internal("random source unavailable") }
        return try withConnection { db throws(CarnetFailure) -> String in
            try db.durableTransaction { () throws(CarnetFailure) -> String in
                let rows = try db.query(
                    "SELECT creation_key FROM record_creation WHERE patient_id = ?",
                    [.text(patient.value)])
                if let key = rows.first?.first?.text { return key }
                try db.query(
                    "INSERT INTO record_creation (patient_id, creation_key, created_at) VALUES (?, ?, ?)",
                    [.text(patient.value), .text(fresh), .integer(Clock.nowSeconds())])
                return fresh
            }
        }
    }

    func forgetCreationKey(for patient: HostPatientID) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.query("DELETE FROM record_creation WHERE patient_id = ?", [.text(patient.value)])
        }
    }
}
