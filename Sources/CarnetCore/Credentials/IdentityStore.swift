/// The professional's certificate and sealed private key, in the store
/// (table `identity`, one row). Only the sealed form of the key is written.
struct StoredIdentity: Sendable {
    let certificatePEM: [UInt8]
    let chainPEM: [UInt8]
    let sealedKey: [UInt8]
    let details: CertificateDetails
}

extension LocalStore {
    func saveIdentity(certificatePEM: [UInt8], chainPEM: [UInt8], sealedKey: [UInt8]) throws(CarnetFailure) {
        try withConnection { db throws(CarnetFailure) in
            try db.query(
                """
                INSERT INTO identity (slot, certificate_pem, chain_pem, sealed_key, installed_at) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT(slot) DO UPDATE SET certificate_pem = excluded.certificate_pem,
                    chain_pem = excluded.chain_pem, sealed_key = excluded.sealed_key,
                    installed_at = excluded.installed_at
                """,
                [.blob(certificatePEM), .blob(chainPEM), .blob(sealedKey), .integer(Clock.nowSeconds())])
        }
    }

    func loadIdentity() throws(CarnetFailure) -> StoredIdentity? {
        try withConnection { db throws(CarnetFailure) -> StoredIdentity? in
            let rows = try db.query("SELECT certificate_pem, chain_pem, sealed_key FROM identity WHERE slot = 1")
            guard let row = rows.first, row.count == 3 else { return nil }
            guard case .blob(let cert) = row[0], case .blob(let chain) = row[1], case .blob(let sealed) = row[2],
                let details = CertificateDetails(pem: cert)
            else { throw CarnetFailure(.storage, domain: .credentials, message: .identityDamaged) }
            return StoredIdentity(certificatePEM: cert, chainPEM: chain, sealedKey: sealed, details: details)
        }
    }
}
