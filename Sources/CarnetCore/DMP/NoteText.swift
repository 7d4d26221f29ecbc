internal import CarnetCatalogue

/// The formats of the note's values: OIDs, UUIDs, INS numbers, CDA timestamps.
enum NoteText {
    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// `1.2.250.1.213.1.4.8`: arcs of digits, no leading zero but for a lone 0, first arc 0–2.
    static func isOID(_ text: String) -> Bool {
        guard text.utf8.count <= 64 else { return false }
        let arcs = text.split(separator: ".", omittingEmptySubsequences: false)
        guard arcs.count >= 2, let first = arcs.first, ["0", "1", "2"].contains(String(first)) else { return false }
        return arcs.allSatisfy { arc in
            !arc.isEmpty && arc.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (arc == "0" || !arc.hasPrefix("0"))
        }
    }

    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12]
            && groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isHexDigit } }
    }

    /// An INS matricule: 13 characters (digits; "2A"/"2B" for a birth in Corsica at positions 6–7)
    /// and a 2-digit key = 97 − (number mod 97), Corsica's 2A/2B counting as 19/18.
    static func isValidINS(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 15 else { return false }
        var number: Int64 = 0
        for index in 0..<13 {
            var digit = Int64(bytes[index]) - 0x30
            if index == 5 && (bytes[6] == UInt8(ascii: "A") || bytes[6] == UInt8(ascii: "B")) {
                guard bytes[5] == UInt8(ascii: "2") else { return false }
                digit = 1
            } else if index == 6 && bytes[6] == UInt8(ascii: "A") {
                digit = 9
            } else if index == 6 && bytes[6] == UInt8(ascii: "B") {
                digit = 8
            }
            guard digit >= 0 && digit <= 9 else { return false }
            number = number * 10 + digit
        }
        var key: Int64 = 0
        for index in 13..<15 {
            let digit = Int64(bytes[index]) - 0x30
            guard digit >= 0 && digit <= 9 else { return false }
            key = key * 10 + digit
        }
        return key == 97 - number % 97
    }

    static func compactDate(_ date: CivilDate) -> String {
        String(date.iso.filter { $0 != "-" })
    }

    /// `2026-11-30T10:15:00+01:00` (seconds optional, `Z` for UTC) → `20261130101500+0100`.
    static func cdaTimestamp(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 17, bytes[10] == UInt8(ascii: "T"), CivilDate(text.prefix(10)) != nil else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for i in range {
                let d = Int(bytes[i]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let hour = digits(11..<13), hour < 24, bytes[13] == UInt8(ascii: ":"),
            let minute = digits(14..<16), minute < 60
        else { return nil }
        var index = 16
        var second = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let s = digits(17..<19), s < 60 else { return nil }
            second = s
            index = 19
        }
        guard index < bytes.count else { return nil }
        let offset: String
        if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count {
            offset = "+0000"
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 == bytes.count,
            let oh = digits(index + 1..<index + 3), oh <= 14, bytes[index + 3] == UInt8(ascii: ":"),
            let om = digits(index + 4..<index + 6), om < 60
        {
            offset = String(UnicodeScalar(bytes[index])) + two(oh) + two(om)
        } else {
            return nil
        }
        return text.prefix(10).filter { $0 != "-" } + two(hour) + two(minute) + two(second) + offset
    }

    static func two(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
}
