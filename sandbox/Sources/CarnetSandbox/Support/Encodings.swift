// Hex and base64url, for thumbprints, serial numbers and tokens.

import Foundation

enum Hex {
    /// The lowercase hex digit of each nibble (also RandomUUID's).
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex. By table: `String(format:)` per byte showed in every request's profile
    /// (the client certificate's thumbprint).
    static func encode<B: Sequence>(_ bytes: B) -> String where B.Element == UInt8 {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Bytes of an even-length hex string; nil if it is not one.
    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}

enum Base64URL {
    static func encode<B: Sequence>(_ bytes: B) -> String where B.Element == UInt8 {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
