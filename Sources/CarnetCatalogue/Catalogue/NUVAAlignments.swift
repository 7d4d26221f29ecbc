/// The parts of a NUVA release beside the unit files: the version stamp and the alignment
/// tables. Both are optional (the unit files alone make a catalogue); when present, a defect
/// refuses the whole import, naming the file.
extension NUVAReader {
    /// `(version, date)` from `Units/import.txt` ("Imported version 1.0.1124 at 2026-08-17 ..."),
    /// or `("unknown", "")` when the release has no such file.
    func releaseVersion() throws(CatalogueError) -> (String, String) {
        let path = directory + "/Units/import.txt"
        guard FileSystem.exists(path) else { return ("unknown", "") }
        let text = try FileSystem.readText(path)
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let words = firstLine.split(separator: " ")
        guard words.count >= 5, words[0] == "Imported", words[1] == "version", words[3] == "at",
              words[4].utf8.count == 10, CivilDate(String(words[4])) != nil
        else {
            throw .invalidField(file: path, field: "first line", reason: "expected 'Imported version <version> at <yyyy-mm-dd>'")
        }
        return (String(words[2]), String(words[4]))
    }

    /// NUVA code → codes of `Release/Alignments/<system>/nuva2<system>.csv` rows marked best, in
    /// file order, without the `<system>-` prefix; empty when the file does not exist.
    func bestAlignment(_ system: String) throws(CatalogueError) -> [String: [String]] {
        let path = directory + "/Release/Alignments/\(system)/nuva2\(system).csv"
        guard FileSystem.exists(path) else { return [:] }
        let rows: [[String]]
        do {
            rows = try CSVReader.parse(try FileSystem.readText(path))
        } catch let failure as CSVReader.Failure {
            throw .malformed(file: path, line: failure.line, reason: failure.reason)
        } catch let error as CatalogueError {
            throw error
        } catch {
            throw .unreadable(file: path, reason: "\(error)")
        }
        guard let header = rows.first, let nuvaColumn = header.firstIndex(of: "NUVA"),
              let codeColumn = header.firstIndex(of: system), let bestColumn = header.firstIndex(of: "Best")
        else {
            throw .invalidField(file: path, field: "header", reason: "expected NUVA, \(system) and Best columns")
        }
        var out: [String: [String]] = [:]
        let prefix = system + "-"
        for (k, row) in rows.enumerated().dropFirst() {
            if row == [""] { continue }
            guard row.count == header.count, !row[nuvaColumn].isEmpty else {
                throw .invalidField(file: path, field: "row \(k + 1)", reason: "expected \(header.count) fields with a NUVA code")
            }
            // A vaccine NUVA could not align has a row with an empty code.
            var code = row[codeColumn].collapsingWhitespace
            guard !code.isEmpty, row[bestColumn] == "True" else { continue }
            if code.hasPrefix(prefix) { code.removeFirst(prefix.count) }
            if out[row[nuvaColumn]]?.contains(code) != true { out[row[nuvaColumn], default: []].append(code) }
        }
        return out
    }
}

extension StringProtocol {
    /// Tabs, newlines and runs of spaces as one space, none at either end (as the snapshot
    /// generator cleans every text, so that an import and the snapshot agree).
    var collapsingWhitespace: String {
        self.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}
