// Passwords (PBKDF2-SHA256, 600,000 rounds, per-account salt), withdrawal codes and share codes.

import Crypto
import _CryptoExtras
import Foundation

enum Passwords {
    static let rounds = 600_000

    static func hash(_ password: String) throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256,
            outputByteCount: 32, rounds: rounds)
        let hash = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(hash)"
    }

    static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds >= 210_000,
            let salt = Data(base64Encoded: parts[2]), let expected = Data(base64Encoded: parts[3]),
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8), salt: salt, using: .sha256,
                outputByteCount: expected.count, rounds: rounds)
        else { return false }
        let actual = key.withUnsafeBytes { Array($0) }
        return constantTimeEqual(actual, Array(expected))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

/// Keyed hashes with the server secret: codes are stored and compared only as HMACs.
struct Keyed: Sendable {
    let secret: [UInt8]
    func hmac(_ parts: String...) -> String {
        let key = SymmetricKey(data: secret)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(parts.joined(separator: "\u{1F}").utf8), using: key)
        return Hex.encode(Array(mac))
    }
}

/// Codes people read aloud: 32 symbols without 0/O/1/I, grouped by four, with a Luhn mod 32
/// check character so a typo is caught before any attempt is counted.
enum ReadableCode {
    static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")

    /// `dataLength` symbols of 5 bits each (10 → 50 bits) plus one check symbol.
    static func generate(dataLength: Int) -> String {
        var symbols = (0..<dataLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] }
        symbols.append(checkCharacter(for: symbols))
        return format(symbols)
    }

    static func format(_ symbols: [Character]) -> String {
        stride(from: 0, to: symbols.count, by: 4).map { String(symbols[$0..<min($0 + 4, symbols.count)]) }
            .joined(separator: "-")
    }

    /// Upper-cases, drops spaces and dashes; nil when a symbol is outside the alphabet or the
    /// check character is wrong. The result is the canonical, grouped form.
    static func normalize(_ text: String, dataLength: Int) -> String? {
        let symbols = Array(text.uppercased().filter { $0 != "-" && $0 != " " })
        guard symbols.count == dataLength + 1, symbols.allSatisfy({ alphabet.contains($0) }) else { return nil }
        guard checkCharacter(for: Array(symbols.dropLast())) == symbols.last else { return nil }
        return format(symbols)
    }

    static func checkCharacter(for symbols: [Character]) -> Character {
        let n = alphabet.count
        var factor = 2
        var sum = 0
        for symbol in symbols.reversed() {
            let codePoint = alphabet.firstIndex(of: symbol) ?? 0
            var addend = factor * codePoint
            factor = factor == 2 ? 1 : 2
            addend = addend / n + addend % n
            sum += addend
        }
        return alphabet[(n - sum % n) % n]
    }
}
