/// Case folding and accent stripping for French search text, without Foundation.
///
/// Every letter becomes ASCII lower case: `é è ê ë → e`, `à â ä → a`, `î ï → i`,
/// `ô ö → o`, `ù û ü → u`, `ç → c`, `œ → oe`, `æ → ae`, `ÿ → y`, `ñ → n`, and their
/// capitals. Everything that is not a letter or a digit (spaces, hyphens, apostrophes,
/// slashes, punctuation) becomes a single space, so that "M-M-RvaxPro", "m m rvaxpro"
/// and "M.M.R" fold alike. Other non-ASCII letters keep their UTF-8 bytes lowercased
/// by the standard library. Leading and trailing spaces are dropped.
enum FrenchFolding {
    /// The folded form as bytes (ASCII for French text).
    static func fold(_ text: some StringProtocol) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        func emit(_ bytes: some Sequence<UInt8>) {
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            out.append(contentsOf: bytes)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(truncatingIfNeeded: v)
                switch b {
                case 0x41...0x5A: emit(CollectionOfOne(b | 0x20))
                case 0x61...0x7A, 0x30...0x39: emit(CollectionOfOne(b))
                default: pendingSpace = true
                }
                continue
            }
            if let mapped = latinMap(v) {
                emit(mapped.utf8)
                continue
            }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                emit(String(scalar).lowercased().utf8)
            } else {
                pendingSpace = true
            }
        }
        return out
    }

    /// The folded form as a String (convenient in tests and keys).
    static func foldedString(_ text: some StringProtocol) -> String {
        String(decoding: fold(text), as: UTF8.self)
    }

    private static func latinMap(_ v: UInt32) -> String? {
        switch v {
        case 0xC0...0xC5, 0xE0...0xE5: return "a"
        case 0xC6, 0xE6: return "ae"
        case 0xC7, 0xE7: return "c"
        case 0xC8...0xCB, 0xE8...0xEB: return "e"
        case 0xCC...0xCF, 0xEC...0xEF: return "i"
        case 0xD1, 0xF1: return "n"
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8: return "o"
        case 0xD9...0xDC, 0xF9...0xFC: return "u"
        case 0xDD, 0xFD, 0xFF, 0x178: return "y"
        case 0xDF: return "ss"
        case 0x152, 0x153: return "oe"
        case 0xB5, 0x3BC: return "u"  // micro sign in "10 µg" reads as u
        default: return nil
        }
    }
}
