// Share codes ("codes de partage"): one per citizen account, looked up and claimed by professionals.
//
// Failures have one shape whatever was wrong (code, candidate or birth date), and the lockout
// (5 failed claims → 15 minutes) is counted per presented code, existing or not, so neither the
// answer nor the lock reveals whether a code exists.

import CarnetWire
import Foundation

struct ShareCodePolicy: Sendable {
    var maxFailures = 5
    var lockSeconds = 15 * 60
    var resendIntervalSeconds = 60
}

extension RecordService {
    static let shareCodeRejected = FHIRError(
        status: 403, code: .forbidden,
        message: "Code de partage, carnet ou date de naissance incorrect.", detail: .shareCodeRejected)

    static func shareCodeLocked(retryAfter: Int) -> FHIRError {
        FHIRError(
            status: 429, code: .throttled,
            message:
                "Trop d'essais infructueux : ce code de partage est bloqué pour 15 minutes (réessayez après "
                + "le délai indiqué).",
            detail: .shareCodeLocked, retryAfter: max(retryAfter, 1))
    }

    private func attemptKey(_ code: String) -> String { keyed.hmac("share-code-attempt", code) }

    /// Throws the 429 if this code is locked.
    private func checkLock(_ key: String) throws {
        if let row = try db.query("SELECT locked_until FROM code_attempts WHERE code_hash = ?", [key]).first,
            let until = row.int("locked_until"), Int64(until) > Time.nowMs()
        {
            throw Self.shareCodeLocked(retryAfter: Int((Int64(until) - Time.nowMs()) / 1000) + 1)
        }
    }

    private func countFailedClaim(_ key: String, policy: ShareCodePolicy) throws {
        try db.transaction {
            let now = Time.nowMs()
            let row = try db.query("SELECT failures, locked_until FROM code_attempts WHERE code_hash = ?", [key]).first
            var failures = row?.int("failures") ?? 0
            if let until = row?.int("locked_until"), Int64(until) <= now { failures = 0 }  // lock expired: start over
            failures += 1
            let lockedUntil: Int64? = failures >= policy.maxFailures ? now + Int64(policy.lockSeconds) * 1000 : nil
            try db.query(
                """
                INSERT INTO code_attempts(code_hash, failures, locked_until) VALUES(?,?,?)
                ON CONFLICT(code_hash) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
                """, [key, failures, lockedUntil])
        }
    }

    func candidateID(code: String, record: String) -> String {
        String(keyed.hmac("candidate", code, record).prefix(32))
    }

    /// The records a share code opens, by pseudonym and opaque candidate id only.
    func lookupShareCode(_ raw: String, policy: ShareCodePolicy) throws -> [ShareCodeCandidate] {
        guard let code = ReadableCode.normalize(raw, dataLength: Self.shareCodeLength) else {
            throw Self.shareCodeRejected
        }
        let key = attemptKey(code)
        try checkLock(key)
        let rows = try db.query(
            "SELECT c.id, c.pseudonym FROM carnets c JOIN citizens z ON z.id = c.citizen_id WHERE "
                + "z.share_code = ? ORDER BY c.rowid",
            [code])
        guard !rows.isEmpty else { throw Self.shareCodeRejected }
        return rows.compactMap { row in
            guard let id = row.string("id"), let pseudonym = row.string("pseudonym") else { return nil }
            return ShareCodeCandidate(id: candidateID(code: code, record: id), pseudonym: pseudonym)
        }
    }

    /// Grants `professional` access to one record of a share code, given its holder's birth date.
    func claimRecord(
        code raw: String, candidate: String, birthDate: String, professional: String, policy: ShareCodePolicy
    ) throws -> String {
        guard let code = ReadableCode.normalize(raw, dataLength: Self.shareCodeLength) else {
            throw Self.shareCodeRejected
        }
        let key = attemptKey(code)
        try checkLock(key)
        let rows = try db.query(
            "SELECT c.id, c.birth_date FROM carnets c JOIN citizens z ON z.id = c.citizen_id WHERE z.share_code = ?",
            [code])
        let match = rows.first { row in
            guard let id = row.string("id") else { return false }
            let sameCandidate = Passwords.constantTimeEqual(
                Array(candidateID(code: code, record: id).utf8), Array(candidate.utf8))
            return sameCandidate && row.string("birth_date") == birthDate
        }
        guard let match, let record = match.string("id") else {
            try countFailedClaim(key, policy: policy)
            log.log(.info, "share-code.claim-rejected", [("professional", .string(professional))])
            throw Self.shareCodeRejected
        }
        try db.transaction {
            try store.grantAccess(professional: professional, record: record, via: "claimed")
            try db.query("DELETE FROM code_attempts WHERE code_hash = ?", [key])
        }
        log.log(.info, "share-code.claimed", [("carnet", .string(record)), ("professional", .string(professional))])
        return record
    }

    /// Re-emails the share code of the record's citizen account (rate-limited per account).
    func resendShareCode(record: String, professional: String, policy: ShareCodePolicy) throws {
        guard let access = try store.access(professional: professional, record: record) else {
            throw FHIRError.notFound("Patient", record)
        }
        guard access.isActive else { throw FHIRError.frozen }
        let now = Time.nowMs()
        let (email, code) = try db.transaction { () -> (String, String) in
            guard
                let row = try db.query(
                    "SELECT z.id, z.email, z.share_code, z.last_resend_at FROM citizens z JOIN carnets c ON "
                        + "c.citizen_id = z.id WHERE c.id = ?",
                    [record]
                ).first, let citizen = row.string("id"), let email = row.string("email"),
                let code = row.string("share_code")
            else { throw FHIRError.notFound("Patient", record) }
            if let last = row.int("last_resend_at"), now - Int64(last) < Int64(policy.resendIntervalSeconds) * 1000 {
                let wait = Int((Int64(last) + Int64(policy.resendIntervalSeconds) * 1000 - now) / 1000) + 1
                throw FHIRError(
                    status: 429, code: .throttled, message: "the share code was resent recently; try again later",
                    detail: .resendTooSoon, retryAfter: wait)
            }
            try db.query("UPDATE citizens SET last_resend_at = ? WHERE id = ?", [now, citizen])
            return (email, code)
        }
        try sendShareCode(
            citizenEmail: email, code: code, reason: "Votre professionnel de santé vous renvoie votre code de partage.")
    }

    /// The patient withdraws a professional's access: the record freezes for that professional, and
    /// for its whole team when it sees the record through the team (the patient shared it with the
    /// team); the account's share code is renewed (and emailed) so that the old code cannot re-open it.
    /// Returns what froze: nil if the professional had no active access.
    func revokeAccess(record: String, professional: String) throws -> (revoked: Bool, team: String?) {
        let (changed, team) = try store.revokeAccess(professional: professional, record: record)
        guard changed else { return (false, nil) }
        var fields: [(String, JSONValue)] = [("carnet", .string(record)), ("professional", .string(professional))]
        if let team { fields.append(("team", .string(team))) }
        log.log(.info, "access.revoked", fields)
        try renewShareCode(record: record)
        return (true, team)
    }

    /// The patient withdraws a team's access: the record freezes for every member.
    func revokeAccess(record: String, team: Team) throws -> Bool {
        guard try store.revokeAccess(team: team.id, record: record) else { return false }
        log.log(.info, "access.revoked", [("carnet", .string(record)), ("team", .string(team.id))])
        try renewShareCode(record: record)
        return true
    }

    private func renewShareCode(record: String) throws {
        let (email, code) = try db.transaction { () -> (String, String) in
            guard
                let row = try db.query(
                    "SELECT z.id, z.email FROM citizens z JOIN carnets c ON c.citizen_id = z.id WHERE c.id = ?",
                    [record]
                ).first,
                let citizen = row.string("id"), let email = row.string("email")
            else {
                throw FHIRError.notFound("Patient", record)
            }
            for _ in 0..<8 {
                let code = ReadableCode.generate(dataLength: Self.shareCodeLength)
                do {
                    try db.query("UPDATE citizens SET share_code = ? WHERE id = ?", [code, citizen])
                    return (email, code)
                } catch let error as SQLiteError where error.isConstraintViolation {
                    continue
                }
            }
            throw FHIRError.internalError("could not allocate a share code")
        }
        try sendShareCode(
            citizenEmail: email, code: code,
            reason: "Vous avez retiré l'accès d'un professionnel à un carnet : votre code de partage a été renouvelé.")
    }
}
