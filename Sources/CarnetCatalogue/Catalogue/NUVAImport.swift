/// Import of a NUVA release directory at run time.
///
/// Layout read (the one published by the International Vaccine Codes Initiative):
///
///     <dir>/Units/Targets/DISnnn.yml     label
///     <dir>/Units/Valences/VALnnn.yml    label, shorthand, parent, target
///     <dir>/Units/Vaccines/VACnnnn.yml   label, abstract, codes {CIS, CIP, ATC, ...}, valences
///     <dir>/Translations/nuva_fr.yml     fr: {disease: {DISnnnL}, vaccine: {VACnnnnL}, valence: {VALnnnL}}
///
/// Every file is read and checked before the catalogue is built: any error names its
/// file and nothing is returned, so there is never a half-loaded catalogue.
extension VaccineCatalogue {
    /// Reads a whole NUVA release directory: every product with its valences, diseases, French
    /// labels, CIS/CIP13/ATC/CVX codes (ATC and CVX also from the release's best alignments),
    /// the version and date of `Units/import.txt`. All or nothing: the first defect throws an
    /// error naming its file, and no catalogue exists. Takes ≈ 70 ms for 1,441 products: call it
    /// off the doctor's path (an explicit "update the catalogue" action), then persist
    /// `serialized()`.
    public static func importNUVA(directory: String, mode: ImportMode) throws(CatalogueError) -> VaccineCatalogue {
        let reader = NUVAReader(directory: directory)
        var imported = try reader.read()
        FrenchMarketCuration.apply(&imported)
        let (version, date) = try reader.releaseVersion()
        let info = CatalogueInfo(version: version, releaseDate: date, productCount: 0, source: CatalogueInfo.nuvaSource,
                                 attribution: CatalogueInfo.nuvaAttribution, license: CatalogueInfo.nuvaLicense,
                                 origin: .imported)
        switch mode {
        case .replace:
            return VaccineCatalogue(products: imported, info: info)
        case .extendBuiltIn:
            let known = Set(imported.compactMap(\.nuva))
            let kept = VaccineCatalogue.builtIn.products.filter { p in p.nuva.map { !known.contains($0) } ?? true }
            return VaccineCatalogue(products: imported + kept, info: info)
        }
    }
}

struct NUVAReader {
    let directory: String

    init(directory: String) {
        var dir = directory
        while dir.count > 1, dir.hasSuffix("/") { dir.removeLast() }
        self.directory = dir.isEmpty ? "." : dir
    }

    private struct RawValence {
        var file: String
        var label: String
        var shorthand: String
        var parent: String?
        var target: String?
    }

    func read() throws(CatalogueError) -> [VaccineProduct] {
        guard FileSystem.isDirectory(directory) else {
            throw .unreadable(file: directory, reason: "not a directory")
        }
        // French labels.
        let translationsPath = directory + "/Translations/nuva_fr.yml"
        let translations = try Self.load(translationsPath)
        guard let fr = translations["fr"], case .mapping = fr else {
            throw .invalidField(file: translationsPath, field: "fr", reason: "missing mapping")
        }
        let frDisease = try Self.stringMap(fr["disease"], file: translationsPath, field: "fr.disease")
        let frVaccine = try Self.stringMap(fr["vaccine"], file: translationsPath, field: "fr.vaccine")
        let frValence = try Self.stringMap(fr["valence"], file: translationsPath, field: "fr.valence")

        // Targets.
        var diseases: [String: TargetDisease] = [:]
        for (code, path) in try units("Targets") {
            let node = try Self.load(path)
            let label = try Self.requiredScalar(node, "label", file: path)
            diseases[code] = TargetDisease(code: code, label: (frDisease[code + "L"] ?? label).collapsingWhitespace)
        }

        // Valences, then their diseases (inherited from the parent chain when absent).
        var rawValences: [String: RawValence] = [:]
        for (code, path) in try units("Valences") {
            let node = try Self.load(path)
            let label = try Self.requiredScalar(node, "label", file: path)
            let shorthand = try Self.optionalScalar(node, "shorthand", file: path) ?? ""
            let parent = try Self.optionalScalar(node, "parent", file: path)
            let target = try Self.optionalScalar(node, "target", file: path)
            if let target, diseases[target] == nil {
                throw .danglingReference(file: path, code: target)
            }
            rawValences[code] = RawValence(file: path, label: label, shorthand: shorthand, parent: parent, target: target)
        }
        var valences: [String: Valence] = [:]
        for (code, raw) in rawValences {
            var target = raw.target
            var cursor = raw.parent
            var steps = 0
            while target == nil, let p = cursor, let parent = rawValences[p], steps < 64 {
                target = parent.target
                cursor = parent.parent
                steps += 1
            }
            guard let diseaseCode = target, let disease = diseases[diseaseCode] else {
                throw .invalidField(file: raw.file, field: "target", reason: "no target disease, even through its parents")
            }
            let label = (frValence[code + "L"] ?? raw.label).collapsingWhitespace
            valences[code] = Valence(code: code, shorthand: raw.shorthand.collapsingWhitespace, label: label, disease: disease)
        }

        // Best ATC and CVX alignments (optional files; malformed ones are refused).
        let atcAlignment = try bestAlignment("ATC")
        let cvxAlignment = try bestAlignment("CVX")

        // Vaccines.
        var products: [VaccineProduct] = []
        for (code, path) in try units("Vaccines") {
            let node = try Self.load(path)
            let label = try Self.requiredScalar(node, "label", file: path).collapsingWhitespace
            let abstractText = try Self.optionalScalar(node, "abstract", file: path) ?? "false"
            guard abstractText == "true" || abstractText == "false" else {
                throw .invalidField(file: path, field: "abstract", reason: "expected true or false")
            }
            let isAbstract = abstractText == "true"
            var cis: [String] = [], cip: [String] = [], atc: String?, cvx: [String] = []
            if let codes = node["codes"] {
                var systems: [(key: String, value: YAMLNode)] = []
                if case .mapping(let members) = codes {
                    systems = members
                } else if codes != .empty {
                    throw .invalidField(file: path, field: "codes", reason: "expected a mapping")
                }
                for (system, values) in systems {
                    guard let list = values.scalarList?.map(\.collapsingWhitespace) else {
                        throw .invalidField(file: path, field: "codes.\(system)", reason: "expected a list of codes")
                    }
                    switch system {
                    case "CIS": cis = list
                    case "CIP": cip = list.filter { $0.utf8.count == 13 }
                    case "ATC": atc = list.first
                    case "CVX": cvx = list
                    default: break
                    }
                }
            }
            guard let valenceNode = node["valences"], let valenceCodes = valenceNode.scalarList else {
                throw .invalidField(file: path, field: "valences", reason: "missing or not a list")
            }
            var productValences: [Valence] = []
            for v in valenceCodes {
                guard let valence = valences[v] else { throw .danglingReference(file: path, code: v) }
                productValences.append(valence)
            }
            if atc == nil { atc = atcAlignment[code]?.first }
            // The unit's own CVX codes and the best alignments, shortest (then smallest) first.
            var cvxCodes = cvx
            for c in cvxAlignment[code] ?? [] where !cvxCodes.contains(c) { cvxCodes.append(c) }
            cvxCodes = Array(Set(cvxCodes)).sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count < $1.utf8.count : $0 < $1 }
            let frenchLabel = frVaccine[code + "L"]
            let name = isAbstract ? (frenchLabel?.collapsingWhitespace ?? label) : label
            var alternates: [String] = []
            if name != label { alternates.append(label) }
            products.append(VaccineProduct(
                name: name, cisCodes: cis, cip13: cip, atc: atc, nuva: code, cvx: cvxCodes, valences: productValences,
                marketedInFrance: !isAbstract && !cis.isEmpty, isAbstract: isAbstract, alternateNames: alternates))
        }
        return products
    }

    /// `(code, path)` of every `*.yml` unit file in `Units/<kind>`, sorted by code.
    private func units(_ kind: String) throws(CatalogueError) -> [(String, String)] {
        let dir = directory + "/Units/" + kind
        let names = try FileSystem.list(dir)
        var out: [(String, String)] = []
        for name in names where name.hasSuffix(".yml") {
            let code = String(name.dropLast(4))
            guard !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw .invalidField(file: dir + "/" + name, field: "file name", reason: "expected <CODE>.yml")
            }
            out.append((code, dir + "/" + name))
        }
        guard !out.isEmpty else { throw .empty(file: dir) }
        return out
    }

    private static func load(_ path: String) throws(CatalogueError) -> YAMLNode {
        let text = try FileSystem.readText(path)
        do {
            return try YAMLReader.parse(text)
        } catch {
            throw .malformed(file: path, line: error.line, reason: error.message)
        }
    }

    private static func requiredScalar(_ node: YAMLNode, _ key: String, file: String) throws(CatalogueError) -> String {
        guard case .mapping = node else { throw .invalidField(file: file, field: key, reason: "file is not a mapping") }
        guard let value = node[key] else { throw .invalidField(file: file, field: key, reason: "missing") }
        guard let s = value.scalar, !s.isEmpty else { throw .invalidField(file: file, field: key, reason: "expected text") }
        return s
    }

    private static func optionalScalar(_ node: YAMLNode, _ key: String, file: String) throws(CatalogueError) -> String? {
        guard case .mapping = node else { throw .invalidField(file: file, field: key, reason: "file is not a mapping") }
        guard let value = node[key] else { return nil }
        if value == .empty { return nil }
        guard let s = value.scalar else { throw .invalidField(file: file, field: key, reason: "expected text") }
        return s
    }

    private static func stringMap(_ node: YAMLNode?, file: String, field: String) throws(CatalogueError) -> [String: String] {
        guard let node else { return [:] }
        guard case .mapping(let members) = node else {
            if node == .empty { return [:] }
            throw .invalidField(file: file, field: field, reason: "expected a mapping")
        }
        var out: [String: String] = [:]
        for (key, value) in members {
            guard let s = value.scalar else { throw .invalidField(file: file, field: "\(field).\(key)", reason: "expected text") }
            out[key] = s
        }
        return out
    }
}
