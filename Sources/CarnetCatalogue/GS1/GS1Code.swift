/// What a 2D scanner typed when reading a medicine box's GS1 DataMatrix, parsed.
///
/// Accepted forms (all seen from keyboard-wedge scanners and labels):
/// - the element string, with or without the symbology prefix (`]d2` DataMatrix, `]C1` GS1-128,
///   `]Q3` QR, `]e0` DataBar, `]J1` DotCode), FNC1 sent as GS (0x1D) or shown as `␝`;
/// - the human-readable form `(01)03400930000000(17)271231(10)AB12(21)XYZ`;
/// - a GS1 Digital Link URL `https://id.gs1.org/01/03400930000000/10/AB12?17=271231`.
///
/// No catalogue here: `VaccineCatalogue.scanBox` adds the product.
public struct GS1Code: Sendable, Equatable {
    /// GTIN-14, check digit verified.
    public var gtin: String
    /// Batch or lot (AI 10).
    public var lot: String?
    /// Expiry (AI 17); day `00` read as the last day of the month.
    public var expiry: CivilDate?
    /// The expiry exactly as coded (YYMMDD), e.g. to show `00` days as printed.
    public var expiryText: String?
    /// Serial number (AI 21).
    public var serial: String?
    /// Every element in the order read, including the ones above, as (AI, value).
    public var elements: [Element]

    public struct Element: Sendable, Equatable {
        public var ai: String
        public var value: String
    }

    /// The GTIN-13 inside a GTIN-14 starting with `0`; a French medicine's is its CIP13 (`340…`).
    public var cip13: String? {
        guard gtin.utf8.count == 14, gtin.hasPrefix("03400") || gtin.hasPrefix("03401") else { return nil }
        return String(gtin.dropFirst())
    }

    static let maximumInput = 4_096

    /// Parses `scanned`. Two-digit years are placed in the century GS1 prescribes relative to
    /// `referenceDate` (within 49 years back and 50 ahead).
    public static func parse(_ scanned: String, referenceDate: CivilDate) throws(BoxScanError) -> GS1Code {
        guard scanned.utf8.count <= maximumInput else { throw .unsupportedFormat(reason: "longer than \(maximumInput) bytes") }
        // U+241D (the visible "GS" symbol some tools print) is FNC1 too.
        var bytes: [UInt8] = []
        for scalar in scanned.unicodeScalars {
            if scalar.value == 0x241D { bytes.append(0x1D) } else { bytes.append(contentsOf: String(scalar).utf8) }
        }
        // Scanners end with CR, LF or Tab; keep inner GS.
        while let last = bytes.last, last == 0x0D || last == 0x0A || last == 0x09 || last == 0x20 || last == 0x04 { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        for prefix in ["]d2", "]C1", "]Q3", "]e0", "]J1"] where bytes.starts(with: Array(prefix.utf8)) {
            bytes.removeFirst(3)
            break
        }
        while bytes.first == 0x1D { bytes.removeFirst() }
        guard !bytes.isEmpty else { throw .empty }
        let elements: [Element]
        if bytes.starts(with: Array("http://".utf8)) || bytes.starts(with: Array("https://".utf8))
            || bytes.starts(with: Array("HTTP://".utf8)) || bytes.starts(with: Array("HTTPS://".utf8)) {
            elements = try digitalLink(bytes)
        } else if bytes.first == 0x28 {
            elements = try bracketed(bytes)
        } else {
            elements = try elementString(bytes)
        }
        return try build(elements, referenceDate: referenceDate)
    }

    // MARK: - The three forms

    /// AIs back to back; a variable-length value ends at GS or at the end.
    static func elementString(_ bytes: [UInt8]) throws(BoxScanError) -> [Element] {
        var out: [Element] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x1D { i += 1; continue }
            let rest = bytes[i...]
            guard let (ai, spec) = GS1ApplicationIdentifiers.lookup(rest) else {
                let digits = rest.prefix(4).prefix { $0 >= 0x30 && $0 <= 0x39 }
                if digits.isEmpty {
                    throw .unsupportedFormat(reason: "expected an application identifier at position \(i + 1)")
                }
                throw .unknownApplicationIdentifier(String(decoding: digits, as: UTF8.self))
            }
            i += ai.utf8.count
            var end = i
            if spec.fixed {
                end = i + spec.length
                guard end <= bytes.count else {
                    throw .malformedElement(ai: ai, reason: "\(spec.length) characters expected, \(bytes.count - i) found")
                }
                if end < bytes.count, bytes[i..<end].contains(0x1D) {
                    throw .malformedElement(ai: ai, reason: "\(spec.length) characters expected before the separator")
                }
            } else {
                while end < bytes.count && bytes[end] != 0x1D { end += 1 }
            }
            out.append(Element(ai: ai, value: String(decoding: bytes[i..<end], as: UTF8.self)))
            i = end
        }
        return out
    }

    /// `(AI)value(AI)value…`; a value may not contain `(`.
    static func bracketed(_ bytes: [UInt8]) throws(BoxScanError) -> [Element] {
        var out: [Element] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x20 || bytes[i] == 0x1D { i += 1; continue }
            guard bytes[i] == 0x28, let close = bytes[i...].firstIndex(of: 0x29) else {
                throw .unsupportedFormat(reason: "expected '(AI)' at position \(i + 1)")
            }
            let ai = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
            guard let (known, _) = GS1ApplicationIdentifiers.lookup(ArraySlice(ai.utf8)), known == ai else {
                throw .unknownApplicationIdentifier(ai)
            }
            var end = close + 1
            while end < bytes.count && bytes[end] != 0x28 && bytes[end] != 0x1D { end += 1 }
            var value = Array(bytes[(close + 1)..<end])
            while value.last == 0x20 { value.removeLast() }  // "(01)… (17)…" as printed
            out.append(Element(ai: ai, value: String(decoding: value, as: UTF8.self)))
            i = end
        }
        return out
    }

    /// `scheme://host[/prefix]/01/<gtin>[/10/<lot>][/21/<serial>][?17=YYMMDD&…]`, percent-decoded.
    static func digitalLink(_ bytes: [UInt8]) throws(BoxScanError) -> [Element] {
        let text = String(decoding: bytes, as: UTF8.self)
        var pathAndQuery = text[...]
        if let scheme = text.firstRange(of: "://") { pathAndQuery = text[scheme.upperBound...] }
        if let fragment = pathAndQuery.firstIndex(of: "#") { pathAndQuery = pathAndQuery[..<fragment] }
        let path: Substring, query: Substring
        if let q = pathAndQuery.firstIndex(of: "?") {
            path = pathAndQuery[..<q]
            query = pathAndQuery[pathAndQuery.index(after: q)...]
        } else {
            path = pathAndQuery
            query = ""
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).dropFirst()  // the host
        guard let gtinAt = segments.firstIndex(where: { $0 == "01" || $0 == "gtin" }) else {
            throw .missingGTIN
        }
        var out: [Element] = []
        var k = gtinAt
        while k < segments.endIndex {
            let key = segments[k] == "gtin" ? "01" : String(segments[k])
            guard k + 1 < segments.endIndex else { throw .malformedElement(ai: key, reason: "no value in the URL path") }
            guard let (known, _) = GS1ApplicationIdentifiers.lookup(ArraySlice(key.utf8)), known == key else {
                throw .unknownApplicationIdentifier(key)
            }
            out.append(Element(ai: key, value: try percentDecoded(segments[k + 1], ai: key)))
            k += 2
        }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let key = String(parts[0])
            // Only numeric keys are AIs; others (e.g. "linkType") are Digital Link attributes.
            guard !key.isEmpty, key.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { continue }
            guard let (known, _) = GS1ApplicationIdentifiers.lookup(ArraySlice(key.utf8)), known == key else {
                throw .unknownApplicationIdentifier(key)
            }
            out.append(Element(ai: key, value: try percentDecoded(parts[1], ai: key)))
        }
        return out
    }

    static func percentDecoded(_ s: Substring, ai: String) throws(BoxScanError) -> String {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == 0x25 {
                guard i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) else {
                    throw .malformedElement(ai: ai, reason: "bad percent escape in the URL")
                }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Checks

    static func build(_ elements: [Element], referenceDate: CivilDate) throws(BoxScanError) -> GS1Code {
        var seen: [String: String] = [:]
        for e in elements {
            guard let (_, spec) = GS1ApplicationIdentifiers.lookup(ArraySlice(e.ai.utf8)) else {
                throw .unknownApplicationIdentifier(e.ai)
            }
            try check(e, spec)
            if let previous = seen[e.ai], previous != e.value { throw .conflictingElement(ai: e.ai) }
            seen[e.ai] = e.value
        }
        guard let gtin = seen["01"] else { throw .missingGTIN }
        let expected = checkDigit(gtin.utf8.dropLast())
        guard let last = gtin.utf8.last, Int(last) - 0x30 == expected else {
            throw .badCheckDigit(gtin: gtin, expected: expected)
        }
        var expiry: CivilDate?
        if let text = seen["17"] {
            guard let date = yymmdd(text, referenceDate: referenceDate) else { throw .invalidDate(ai: "17", value: text) }
            expiry = date
        }
        for e in elements where e.ai != "17" {
            if let (_, spec) = GS1ApplicationIdentifiers.lookup(ArraySlice(e.ai.utf8)), spec.date,
               yymmdd(e.value, referenceDate: referenceDate) == nil {
                throw .invalidDate(ai: e.ai, value: e.value)
            }
        }
        var deduplicated: [Element] = []
        for e in elements where !deduplicated.contains(e) { deduplicated.append(e) }
        return GS1Code(gtin: gtin, lot: seen["10"], expiry: expiry, expiryText: seen["17"], serial: seen["21"],
                       elements: deduplicated)
    }

    static func check(_ e: Element, _ spec: GS1ApplicationIdentifiers.Spec) throws(BoxScanError) {
        let n = e.value.utf8.count
        if spec.fixed {
            guard n == spec.length else { throw .malformedElement(ai: e.ai, reason: "\(spec.length) characters expected, \(n) found") }
        } else {
            guard n >= 1 else { throw .malformedElement(ai: e.ai, reason: "empty value") }
            guard n <= spec.length else { throw .malformedElement(ai: e.ai, reason: "at most \(spec.length) characters, \(n) found") }
        }
        if spec.numeric {
            guard e.value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .malformedElement(ai: e.ai, reason: "digits only")
            }
        } else {
            // GS1 character set 82: printable ASCII without space (and a few symbols; kept lenient).
            guard e.value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw .malformedElement(ai: e.ai, reason: "characters outside the GS1 set")
            }
        }
    }

    /// The GS1 mod-10 check digit of the digits given (the code without its last digit).
    public static func checkDigit(_ digits: some Collection<UInt8>) -> Int {
        var sum = 0
        // Weights 3, 1, 3... from the rightmost digit.
        for (k, d) in digits.reversed().enumerated() {
            let v = Int(d) - 0x30
            guard v >= 0, v <= 9 else { return -1 }
            sum += k % 2 == 0 ? 3 * v : v
        }
        return (10 - sum % 10) % 10
    }

    /// YYMMDD with day 00 = last day of the month, century per GS1 GenSpecs 7.12.
    static func yymmdd(_ text: String, referenceDate: CivilDate) -> CivilDate? {
        let b = Array(text.utf8)
        guard b.count == 6, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        func two(_ i: Int) -> Int { Int(b[i] - 0x30) * 10 + Int(b[i + 1] - 0x30) }
        let yy = two(0), month = two(2), day = two(4)
        let current = referenceDate.year % 100, century = referenceDate.year - current
        let difference = yy - current
        var year = century + yy
        if difference >= 51 { year -= 100 } else if difference <= -50 { year += 100 }
        guard (1...12).contains(month), (1...9999).contains(year) else { return nil }
        if day == 0 { return CivilDate(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month)) }
        return CivilDate(year: year, month: month, day: day)
    }
}
