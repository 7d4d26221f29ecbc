/// RFC 4180 CSV (the NUVA alignment tables): comma-separated, fields optionally in double
/// quotes with `""` for a quote, CRLF or LF line ends, a UTF-8 byte-order mark tolerated.
enum CSVReader {
    struct Failure: Error { var line: Int; var reason: String }

    /// Rows of fields; the first row is the header.
    static func parse(_ text: String) throws(Failure) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false, wasQuoted = false
        var line = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var i = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    quoted = false
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 0x22:
                guard field.isEmpty, !wasQuoted else { throw Failure(line: line, reason: "quote inside an unquoted field") }
                quoted = true
                wasQuoted = true
            case 0x2C:
                endField()
            case 0x0D:
                break
            case 0x0A:
                endField()
                rows.append(row)
                row.removeAll(keepingCapacity: true)
                line += 1
            default:
                guard !wasQuoted else { throw Failure(line: line, reason: "text after a closing quote") }
                field.append(b)
            }
            i += 1
        }
        guard !quoted else { throw Failure(line: line, reason: "unterminated quoted field") }
        if !field.isEmpty || !row.isEmpty || wasQuoted {
            endField()
            rows.append(row)
        }
        return rows
    }
}
