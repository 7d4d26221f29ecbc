// Professional accounts, withdrawal codes, certificate enrollment (EST style), revocation, CRL,
// PKCS#12 export.

import Foundation
import CarnetWire
import Crypto
import X509

struct WithdrawalPolicy: Sendable {
    var validitySeconds = 14 * 24 * 3600
    var maxFailures = 5  // per client address
    var windowSeconds = 15 * 60
}

final class ProfessionalService: @unchecked Sendable {
    let store: Store
    let ca: CertificateAuthority
    let keyed: Keyed
    let log: EventLog
    var db: Database { store.db }

    init(store: Store, ca: CertificateAuthority, keyed: Keyed, log: EventLog) {
        self.store = store
        self.ca = ca
        self.keyed = keyed
        self.log = log
    }

    static let withdrawalCodeLength = 15  // 75 bits + check character, shown as XXXX-XXXX-XXXX-XXXX

    struct Created { let id: String; let withdrawalCode: String; let expiresMs: Int64 }

    func createProfessional(email: String, password: String, name: String, rpps: String) throws -> Created {
        guard RecordService.isPlausibleEmail(email) else { throw PKIError("invalid email address") }
        guard password.count >= 8 else { throw PKIError("the password must have at least 8 characters") }
        guard rpps.count == 11, rpps.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PKIError("an RPPS number has 11 digits")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
            throw PKIError("a name is required")
        }
        let hash = try Passwords.hash(password)
        let id = RandomUUID.make()
        do {
            try db.query(
                "INSERT INTO professionals(id, email, password_hash, name, rpps, created_at) VALUES(?,?,?,?,?,?)",
                [id, email, hash, name, rpps, Time.nowMs()])
        } catch let error as SQLiteError where error.isConstraintViolation {
            throw PKIError("a professional account with this email already exists")
        }
        let (code, expires) = try newWithdrawalCode(professional: id)
        log.log(.info, "professional.created", [("professional", .string(id))])
        return Created(id: id, withdrawalCode: code, expiresMs: expires)
    }

    func newWithdrawalCode(
        professional: String, policy: WithdrawalPolicy = WithdrawalPolicy()
    ) throws -> (String, Int64) {
        let code = ReadableCode.generate(dataLength: Self.withdrawalCodeLength)
        let now = Time.nowMs()
        let expires = now + Int64(policy.validitySeconds) * 1000
        try db.query(
            "INSERT INTO withdrawal_codes(code_hash, professional_id, created_at, expires_at) VALUES(?,?,?,?)",
            [keyed.hmac("withdrawal", code), professional, now, expires])
        return (code, expires)
    }

    private func record(_ issued: IssuedCertificate, professional: String) throws {
        try db.query(
            "INSERT INTO certificates(serial, professional_id, thumbprint, not_before, not_after, pem, "
                + "issued_at) VALUES(?,?,?,?,?,?,?)",
            [
                issued.serialHex, professional, issued.thumbprint,
                Int64(issued.certificate.notValidBefore.timeIntervalSince1970 * 1000),
                Int64(issued.certificate.notValidAfter.timeIntervalSince1970 * 1000), issued.pem, Time.nowMs(),
            ])
    }

    static func withdrawalError(_ detail: OutcomeDetail, _ message: String) -> FHIRError {
        FHIRError(status: 403, code: .security, message: message, detail: detail)
    }

    /// Enrollment: a valid, unused, unexpired withdrawal code + a PKCS#10 request → a client certificate.
    func enroll(code raw: String, csr: CertificateSigningRequest) throws -> IssuedCertificate {
        guard let code = ReadableCode.normalize(raw, dataLength: Self.withdrawalCodeLength) else {
            throw Self.withdrawalError(.withdrawalCodeInvalid, "Code de retrait invalide.")
        }
        let hash = keyed.hmac("withdrawal", code)
        return try db.transaction {
            guard let row = try db.query("SELECT * FROM withdrawal_codes WHERE code_hash = ?", [hash]).first,
                let professionalID = row.string("professional_id"),
                let professional = try store.professional(id: professionalID)
            else {
                throw Self.withdrawalError(.withdrawalCodeInvalid, "Code de retrait invalide.")
            }
            if row.int("used_at") != nil {
                throw Self.withdrawalError(.withdrawalCodeUsed, "Ce code de retrait a déjà été utilisé.")
            }
            if let expires = row.int("expires_at"), Int64(expires) < Time.nowMs() {
                throw Self.withdrawalError(.withdrawalCodeExpired, "Ce code de retrait a expiré.")
            }
            let issued = try ca.issueClientCertificate(publicKey: csr.publicKey, for: professional)
            try record(issued, professional: professionalID)
            try db.query("UPDATE withdrawal_codes SET used_at = ? WHERE code_hash = ?", [Time.nowMs(), hash])
            log.log(
                .info, "certificate.enrolled",
                [("professional", .string(professionalID)), ("serial", .string(issued.serialHex))])
            return issued
        }
    }

    /// Re-enrollment, authenticated by the current (valid, unrevoked) client certificate.
    func reenroll(professional professionalID: String, csr: CertificateSigningRequest) throws -> IssuedCertificate {
        guard let professional = try store.professional(id: professionalID) else {
            throw FHIRError(status: 401, code: .login, message: "unknown account")
        }
        let issued = try ca.issueClientCertificate(publicKey: csr.publicKey, for: professional)
        try record(issued, professional: professionalID)
        log.log(
            .info, "certificate.reenrolled",
            [("professional", .string(professionalID)), ("serial", .string(issued.serialHex))])
        return issued
    }

    /// Key pair generated here (the guide's import flow), certificate issued, written as PKCS#12
    /// (AES-256-CBC, PBKDF2, SHA-256 MAC) by the openssl CLI.
    func exportPKCS12(
        professional professionalID: String, password: String, to path: String
    ) throws -> IssuedCertificate {
        guard let professional = try store.professional(id: professionalID) else {
            throw PKIError("no such professional")
        }
        let key = P256.Signing.PrivateKey()
        let issued = try ca.issueClientCertificate(publicKey: Certificate.PublicKey(key.publicKey), for: professional)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("carnet-p12-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: work) }
        try Files.writeSecret(key.pemRepresentation, to: work + "/key.pem")
        try Files.write(issued.pem, to: work + "/cert.pem")
        try Files.write(ca.certificatePEM, to: work + "/ca.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "pkcs12", "-export", "-inkey", work + "/key.pem", "-in", work + "/cert.pem",
            "-certfile", work + "/ca.pem", "-name", professional.name, "-out", path,
            "-keypbe", "AES-256-CBC", "-certpbe", "AES-256-CBC", "-macalg", "sha256", "-iter", "100000",
            "-passout", "env:CARNET_P12_PASSWORD",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["CARNET_P12_PASSWORD"] = password
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PKIError("openssl pkcs12 failed (status \(process.terminationStatus))")
        }
        chmod(path, 0o600)
        try record(issued, professional: professionalID)
        log.log(
            .info, "certificate.exported",
            [("professional", .string(professionalID)), ("serial", .string(issued.serialHex))])
        return issued
    }

    /// Revokes one certificate (by serial) or every valid certificate of an account.
    func revoke(professional: String?, serial: String?) throws -> [String] {
        try db.transaction {
            let rows: [SQLRow]
            if let serial {
                rows = try db.query(
                    "SELECT serial FROM certificates WHERE serial = ? AND revoked_at IS NULL", [serial.lowercased()])
            } else if let professional {
                rows = try db.query(
                    "SELECT serial FROM certificates WHERE professional_id = ? AND revoked_at IS NULL", [professional])
            } else {
                rows = []
            }
            let serials = rows.compactMap { $0.string("serial") }
            for serial in serials {
                try db.query(
                    "UPDATE certificates SET revoked_at = ?, revocation_reason = 'unspecified' WHERE serial = ?",
                    [Time.nowMs(), serial])
                log.log(.info, "certificate.revoked", [("serial", .string(serial))])
            }
            return serials
        }
    }

    func crl() throws -> [UInt8] {
        let rows = try db.query(
            "SELECT serial, revoked_at FROM certificates WHERE revoked_at IS NOT NULL AND not_after > ? ORDER "
                + "BY revoked_at",
            [Time.nowMs()])
        let revoked = rows.compactMap { row -> (serialHex: String, revokedAtMs: Int64)? in
            guard let serial = row.string("serial"), let at = row.int("revoked_at") else { return nil }
            return (serial, Int64(at))
        }
        return try ca.crl(revoked: revoked, number: Time.nowMs() / 1000)
    }

    /// Email + password check for the token endpoint.
    func authenticate(email: String, password: String) throws -> Professional? {
        guard let professional = try store.professional(email: email) else {
            _ = Passwords.verify(password, against: Self.dummyHash)  // same cost whether or not the account exists
            return nil
        }
        return Passwords.verify(password, against: professional.passwordHash) ? professional : nil
    }

    static let dummyHash = (try? Passwords.hash("not-a-password-\(UUID().uuidString)")) ?? ""
}
