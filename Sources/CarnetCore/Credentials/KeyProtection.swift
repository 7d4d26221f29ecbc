internal import COpenSSL

/// Encrypts the professional's private key at rest (docs/security.md):
/// AES-256-GCM under a key derived from the host's secret with
/// PBKDF2-HMAC-SHA256, 600,000 iterations (OWASP 2023), random 16-byte salt and
/// 12-byte nonce per sealing. The certificate's SHA-256 is authenticated data,
/// so a sealed key cannot be swapped under another certificate.
///
/// Sealed format: "CKEY1" | iterations (u32 BE) | salt (16) | nonce (12) | tag (16) | ciphertext.
enum KeyProtection {
    static let magic: [UInt8] = Array("CKEY1".utf8)
    static let iterations: UInt32 = 600_000
    /// A sealed file is refused above this many iterations: a tampered store
    /// must not make the host spin for hours.
    static let maxIterations: UInt32 = 10_000_000

    static func seal(_ plain: SecretBytes, secret: String, binding: [UInt8]) throws(CarnetFailure) -> [UInt8] {
        let salt = try randomBytes(16)
        let nonce = try randomBytes(12)
        let key = try deriveKey(secret: secret, salt: salt, iterations: iterations)
        var cipher = [UInt8](repeating: 0, count: plain.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let ok = key.bytes.withUnsafeBufferPointer { k in
            plain.bytes.withUnsafeBufferPointer { p in
                binding.withUnsafeBufferPointer { aad in
                    cipher.withUnsafeMutableBufferPointer { c in
                        tag.withUnsafeMutableBufferPointer { t in
                            copenssl_aes256gcm_seal(
                                k.baseAddress, nonce, aad.baseAddress, aad.count,
                                p.baseAddress, p.count, c.baseAddress, t.baseAddress)
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw .internal("AES-GCM seal failed") }
        var out = magic
        out += [
            UInt8(truncatingIfNeeded: iterations >> 24), UInt8(truncatingIfNeeded: iterations >> 16),
            UInt8(truncatingIfNeeded: iterations >> 8), UInt8(truncatingIfNeeded: iterations),
        ]
        out += salt + nonce + tag + cipher
        return out
    }

    static func open(_ sealed: [UInt8], secret: String, binding: [UInt8]) throws(CarnetFailure) -> SecretBytes {
        let header = magic.count + 4 + 16 + 12 + 16
        guard sealed.count > header, Array(sealed.prefix(magic.count)) == magic else {
            throw CarnetFailure(.storage, domain: .credentials, message: .identityDamaged)
        }
        var index = magic.count
        var rounds: UInt32 = 0
        for _ in 0..<4 {
            rounds = rounds << 8 | UInt32(sealed[index])
            index += 1
        }
        guard rounds > 0, rounds <= maxIterations else {
            throw CarnetFailure(.storage, domain: .credentials, message: .identityDamaged)
        }
        let salt = Array(sealed[index..<index + 16]); index += 16
        let nonce = Array(sealed[index..<index + 12]); index += 12
        let tag = Array(sealed[index..<index + 16]); index += 16
        let cipher = Array(sealed[index...])
        let key = try deriveKey(secret: secret, salt: salt, iterations: rounds)
        var plain = [UInt8](repeating: 0, count: cipher.count)
        let ok = key.bytes.withUnsafeBufferPointer { k in
            binding.withUnsafeBufferPointer { aad in
                plain.withUnsafeMutableBufferPointer { p in
                    copenssl_aes256gcm_open(
                        k.baseAddress, nonce, aad.baseAddress, aad.count, cipher, cipher.count,
                        tag, p.baseAddress)
                }
            }
        }
        let result = SecretBytes(plain)
        plain.withUnsafeMutableBytes { b in if let base = b.baseAddress { copenssl_cleanse(base, b.count) } }
        guard ok == 1 else {
            // GCM cannot tell a wrong secret from a damaged file; the wrong
            // secret is by far the likelier, and the message says what to check.
            throw CarnetFailure(.identitySecret, domain: .credentials, message: .identitySecretWrong)
        }
        return result
    }

    static func deriveKey(secret: String, salt: [UInt8], iterations: UInt32) throws(CarnetFailure) -> SecretBytes {
        var key = [UInt8](repeating: 0, count: 32)
        let secretBytes = Array(secret.utf8)
        let ok = secretBytes.withUnsafeBufferPointer { s in
            s.withMemoryRebound(to: CChar.self) { sc in
                key.withUnsafeMutableBufferPointer { k in
                    copenssl_pbkdf2_sha256(sc.baseAddress, sc.count, salt, salt.count, iterations, k.baseAddress, 32)
                }
            }
        }
        let derived = SecretBytes(key)
        key.withUnsafeMutableBytes { b in if let base = b.baseAddress { copenssl_cleanse(base, b.count) } }
        guard ok == 1 else { throw .internal("PBKDF2 failed") }
        return derived
    }

    static func randomBytes(_ count: Int) throws(CarnetFailure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { copenssl_random($0.baseAddress, $0.count) }
        guard ok == 1 else { throw .internal("RAND_bytes failed") }
        return bytes
    }
}
