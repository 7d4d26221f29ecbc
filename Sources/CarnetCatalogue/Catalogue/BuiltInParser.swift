/// An error in the built-in catalogue text (a programming error caught by the tests).
struct BuiltInCatalogueError: Error, Sendable, Equatable {
    var line: Int
    var message: String
}

extension BuiltInCatalogue {
    /// Reads the `disease` / `valence` / `product` lines described in BuiltInCatalogue.swift.
    static func parse(_ text: String) throws(BuiltInCatalogueError) -> [VaccineProduct] {
        var diseases: [String: TargetDisease] = [:]
        var valences: [String: Valence] = [:]
        var products: [VaccineProduct] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            guard let head = fields.first, let space = head.firstIndex(of: " ") else {
                throw BuiltInCatalogueError(line: lineNumber, message: "expected '<kind> <name> | ...'")
            }
            let kind = head[head.startIndex..<space]
            let name = String(head[head.index(after: space)...].trimmingSpaces)
            switch kind {
            case "disease":
                guard fields.count == 2, !fields[1].isEmpty else {
                    throw BuiltInCatalogueError(line: lineNumber, message: "disease needs a label")
                }
                diseases[name] = TargetDisease(code: name, label: String(fields[1]))
            case "valence":
                guard fields.count == 4 else {
                    throw BuiltInCatalogueError(line: lineNumber, message: "valence needs shorthand | disease | label")
                }
                guard let disease = diseases[String(fields[2])] else {
                    throw BuiltInCatalogueError(line: lineNumber, message: "unknown disease \(fields[2])")
                }
                valences[name] = Valence(code: name, shorthand: String(fields[1]), label: String(fields[3]), disease: disease)
            case "product":
                var nuva: String?, atc: String?, cis: [String] = [], cip: [String] = []
                var productValences: [Valence] = []
                var marketed: Bool?
                for field in fields.dropFirst() {
                    let words = field.split(separator: " ").map(String.init)
                    guard let key = words.first, words.count >= 2 else {
                        throw BuiltInCatalogueError(line: lineNumber, message: "empty field '\(field)'")
                    }
                    let values = Array(words.dropFirst())
                    switch key {
                    case "nuva": nuva = values.first
                    case "atc": atc = values.first
                    case "cis":
                        guard values.allSatisfy({ $0.count == 8 && $0.allSatisfy(\.isASCIIDigit) }) else {
                            throw BuiltInCatalogueError(line: lineNumber, message: "CIS codes have 8 digits")
                        }
                        cis = values
                    case "cip13":
                        guard values.allSatisfy({ $0.count == 13 && $0.allSatisfy(\.isASCIIDigit) }) else {
                            throw BuiltInCatalogueError(line: lineNumber, message: "CIP13 codes have 13 digits")
                        }
                        cip = values
                    case "valences":
                        for code in values {
                            guard let v = valences[code] else {
                                throw BuiltInCatalogueError(line: lineNumber, message: "unknown valence \(code)")
                            }
                            productValences.append(v)
                        }
                    case "marketed":
                        guard values == ["yes"] || values == ["no"] else {
                            throw BuiltInCatalogueError(line: lineNumber, message: "marketed is yes or no")
                        }
                        marketed = values == ["yes"]
                    default:
                        throw BuiltInCatalogueError(line: lineNumber, message: "unknown field \(key)")
                    }
                }
                guard !name.isEmpty, !productValences.isEmpty, let isMarketed = marketed else {
                    throw BuiltInCatalogueError(line: lineNumber, message: "product needs a name, valences and marketed")
                }
                products.append(VaccineProduct(
                    name: name, cisCodes: cis, cip13: cip, atc: atc, nuva: nuva,
                    valences: productValences, marketedInFrance: isMarketed))
            default:
                throw BuiltInCatalogueError(line: lineNumber, message: "unknown line kind '\(kind)'")
            }
        }
        return products
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return self[start..<end]
    }
}
