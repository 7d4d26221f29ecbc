// Creation keys: `Idempotency-Key` on `POST Patient` (IETF httpapi idempotency-key draft).
//
// A carnet has no natural identifier a conditional create could match (the INS is optional), so a
// client that lost the answer to a creation cannot tell whether it happened. It sends a key made
// once per intended carnet; the service remembers (professional, key) → carnet with a fingerprint
// of the body, in the same transaction as the creation, so a retry after a lost answer or a crash
// replays the first carnet (200) without a second carnet or a second email.

import CarnetWire
import Crypto
import Foundation

extension RecordService {
    /// How long a key is remembered; a retry is a matter of minutes, days at most.
    static let creationKeyRetentionMs: Int64 = 30 * 24 * 3600 * 1000
    static let maxCreationKeyLength = 255

    static let creationKeyReused = FHIRError(
        status: 422, code: .businessRule,
        message: "this Idempotency-Key was already used for a different carnet creation",
        detail: .idempotencyKeyReused)

    /// The key of an `Idempotency-Key` field: a Structured Field string (`"…"`, as the draft says)
    /// or, leniently, a bare token; 1–255 visible ASCII characters.
    static func parseCreationKey(_ field: String) throws -> String {
        var key = field.trimmingCharacters(in: .whitespaces)
        if key.count >= 2, key.hasPrefix("\""), key.hasSuffix("\"") {
            key = String(key.dropFirst().dropLast())
        }
        guard !key.isEmpty, key.count <= maxCreationKeyLength,
            key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" })
        else {
            throw FHIRError.badRequest(
                "Idempotency-Key must be a string of 1 to \(maxCreationKeyLength) visible ASCII characters")
        }
        return key
    }

    /// SHA-256 of the body as the strict parser read it, re-serialized: the same document sent
    /// again matches whatever its whitespace; a different document does not.
    static func creationFingerprint(_ body: JSONValue) -> String {
        Hex.encode(Array(SHA256.hash(data: Array(body.serialized().utf8))))
    }

    /// The carnet an earlier creation with this key made, if any; 422 when the key came with
    /// another body.
    func carnetCreated(professional: String, key: String, fingerprint: String) throws -> String? {
        guard
            let row = try db.query(
                "SELECT fingerprint, carnet_id FROM idempotency_keys WHERE professional_id = ? AND key = ? "
                    + "AND created_at >= ?",
                [professional, key, Time.nowMs() - Self.creationKeyRetentionMs]
            ).first
        else { return nil }
        guard row.string("fingerprint") == fingerprint, let carnet = row.string("carnet_id") else {
            throw Self.creationKeyReused
        }
        return carnet
    }

    /// Called inside the creation's transaction.
    func rememberCreation(professional: String, key: String, fingerprint: String, carnet: String) throws {
        let now = Time.nowMs()
        try db.query("DELETE FROM idempotency_keys WHERE created_at < ?", [now - Self.creationKeyRetentionMs])
        try db.query(
            """
            INSERT INTO idempotency_keys(professional_id, key, fingerprint, carnet_id, created_at) VALUES(?,?,?,?,?)
            ON CONFLICT(professional_id, key) DO UPDATE SET fingerprint = excluded.fingerprint,
                carnet_id = excluded.carnet_id, created_at = excluded.created_at
            """, [professional, key, fingerprint, carnet, now])
    }
}
