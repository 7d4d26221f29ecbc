/// An immutable, searchable list of vaccine products.
///
/// Thread-safe (immutable after init). Built either from the built-in French list
/// (`builtIn`) or from a NUVA release directory (`importNUVA`).
public final class VaccineCatalogue: Sendable {
    /// How a NUVA import relates to the built-in list.
    public enum ImportMode: Sendable {
        /// Only the release's products.
        case replace
        /// The built-in products first (they win on a shared NUVA code, keeping their
        /// `marketedInFrance` and ATC), then every release product not already present.
        case extendBuiltIn
    }

    public let products: [VaccineProduct]
    private let index: SearchIndex
    /// NUVA valence code → NUVA disease code, for doses recorded by valence.
    let valenceIndex: [String: String]

    public init(products: [VaccineProduct]) {
        self.products = products
        self.index = SearchIndex(products)
        var valences: [String: String] = [:]
        for product in products {
            for valence in product.valences where valences[valence.code] == nil {
                valences[valence.code] = valence.disease.code
            }
        }
        self.valenceIndex = valences
    }

    public var count: Int { products.count }

    /// The French calendar's products, written in BuiltInCatalogue.swift.
    public static let builtIn: VaccineCatalogue = {
        do {
            return VaccineCatalogue(products: try BuiltInCatalogue.parse(BuiltInCatalogue.text))
        } catch {
            // Unreachable while the built-in data parses (a test proves it); never trap.
            return VaccineCatalogue(products: [])
        }
    }()

    /// The product with this CIS, CIP13, NUVA (`VAC0002` or `0002`) or ATC code
    /// (case-insensitive); the first one in catalogue order when a code is shared
    /// (ATC class codes are shared by design).
    public func product(code: String) -> VaccineProduct? {
        productIndices(code: code).first.map { products[$0] }
    }

    /// Every product carrying this code, in catalogue order.
    public func products(code: String) -> [VaccineProduct] {
        productIndices(code: code).map { products[$0] }
    }

    func productIndices(code: String) -> [Int] {
        let key = FrenchFolding.fold(code)
        guard !key.isEmpty, key.count <= 64 else { return [] }
        if let hit = index.codes[key] { return hit }
        if key.count == 4, key.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
           let hit = index.codes[Array("vac".utf8) + key] {
            return hit
        }
        return []
    }

    /// Products matching `query` by name, French disease label, usual abbreviation
    /// (ROR, DTP, dTcaP, HPV, VRS...) or code, case- and accent-insensitive.
    ///
    /// Ranking: exact match, then prefix, then start of a word, then substring; within a
    /// rank French marketed products first, then concrete products before NUVA abstract
    /// ones, names before disease labels, then by name. At most `limit` results.
    public func search(_ query: String, limit: Int) -> [VaccineProduct] {
        searchIndices(query, limit: limit).map { products[$0] }
    }

    func searchIndices(_ query: String, limit: Int) -> [Int] {
        guard limit > 0 else { return [] }
        var folded = FrenchFolding.fold(query.utf8.count > 1024 ? String(query.prefix(256)) : query)
        if folded.count > 256 { folded.removeLast(folded.count - 256) }
        guard !folded.isEmpty else { return [] }
        return index.search(folded, products: products, limit: limit)
    }
}

/// Precomputed folded terms, laid out in one byte buffer so a query is one tight scan.
struct SearchIndex: Sendable {
    enum Kind: UInt8 { case name = 0, keyword = 1, disease = 2 }

    struct Term: Sendable {
        var start: Int32
        var length: Int32
        var product: Int32
        var kind: Kind
    }

    var bytes: [UInt8] = []
    var terms: [Term] = []
    /// Index of each product's first term in `terms` (terms are stored product by product).
    var firstTerm: [Int] = []
    /// Folded code → product indices in catalogue order.
    var codes: [[UInt8]: [Int]] = [:]
    /// Folded codes sorted, for prefix search on codes.
    var sortedCodes: [(code: [UInt8], product: Int)] = []
    /// Per product: rank helpers.
    var marketed: [Bool] = []
    var abstract: [Bool] = []
    var foldedNames: [[UInt8]] = []

    init(_ products: [VaccineProduct]) {
        for (i, p) in products.enumerated() {
            firstTerm.append(terms.count)
            let name = FrenchFolding.fold(p.name)
            foldedNames.append(name)
            marketed.append(p.marketedInFrance)
            abstract.append(p.isAbstract)
            add(name, product: i, kind: .name)
            for alt in p.alternateNames { add(FrenchFolding.fold(alt), product: i, kind: .name) }
            for keyword in Keywords.keywords(for: p) { add(FrenchFolding.fold(keyword), product: i, kind: .keyword) }
            for disease in p.targetDiseases { add(FrenchFolding.fold(disease.label), product: i, kind: .disease) }
            var productCodes = p.cisCodes + p.cip13
            if let atc = p.atc { productCodes.append(atc) }
            if let nuva = p.nuva { productCodes.append(nuva) }
            for code in productCodes {
                let key = FrenchFolding.fold(code)
                guard !key.isEmpty else { continue }
                if var list = codes[key] {
                    if list.last != i { list.append(i) }
                    codes[key] = list
                } else {
                    codes[key] = [i]
                }
                sortedCodes.append((key, i))
            }
        }
        firstTerm.append(terms.count)
        sortedCodes.sort { a, b in a.code.lexicographicallyPrecedes(b.code) || (a.code == b.code && a.product < b.product) }
    }

    private mutating func add(_ term: [UInt8], product: Int, kind: Kind) {
        guard !term.isEmpty, term.count < Int(Int32.max), bytes.count < Int(Int32.max) - term.count else { return }
        terms.append(Term(start: Int32(bytes.count), length: Int32(term.count), product: Int32(truncatingIfNeeded: product), kind: kind))
        bytes.append(contentsOf: term)
    }

    /// 0 exact, 1 prefix, 2 word start, 3 substring, nil no match.
    @inline(__always)
    static func matchClass(_ term: UnsafeBufferPointer<UInt8>, _ q: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = term.count, m = q.count
        guard m <= n, let first = q.first else { return nil }
        var best: Int? = nil
        var i = 0
        let last = n - m
        while i <= last {
            if term[i] == first {
                var j = 1
                while j < m && term[i + j] == q[j] { j += 1 }
                if j == m {
                    if i == 0 { return m == n ? 0 : 1 }
                    if term[i - 1] == 0x20 { return 2 }
                    if best == nil { best = 3 }
                }
            }
            i += 1
        }
        return best
    }

    func search(_ query: [UInt8], products: [VaccineProduct], limit: Int) -> [Int] {
        let count = products.count
        guard count > 0 else { return [] }
        // Best (class, kind) per product, encoded as class * 4 + kind; Int.max = no match.
        var best = [Int](repeating: Int.max, count: count)
        query.withUnsafeBufferPointer { q in
            bytes.withUnsafeBufferPointer { all in
                guard let base = all.baseAddress else { return }
                for term in terms {
                    let p = Int(term.product)
                    let slice = UnsafeBufferPointer(start: base + Int(term.start), count: Int(term.length))
                    if let c = SearchIndex.matchClass(slice, q) {
                        let score = c * 4 + Int(term.kind.rawValue)
                        if score < best[p] { best[p] = score }
                    }
                }
            }
        }
        // Codes: exact (class 0), prefix when the query is at least 4 characters (class 1).
        if let exact = codes[query] {
            for p in exact where best[p] > 0 { best[p] = 0 }
        }
        if query.count >= 4 {
            var lo = 0, hi = sortedCodes.count
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                if sortedCodes[mid].code.lexicographicallyPrecedes(query) { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            while k < sortedCodes.count, sortedCodes[k].code.starts(with: query) {
                let p = sortedCodes[k].product
                if best[p] > 4 { best[p] = 4 }
                k += 1
            }
        }
        // Several words in any order ("b meningocoque", "grippe tetra"): a product whose terms
        // hold every word at the start of a word matches, ranked after substrings (class 4).
        let words = query.split(separator: 0x20)
        let phraseHits = best.reduce(0) { $1 != Int.max ? $0 + 1 : $0 }
        // They rank last, so they are not looked for when the phrase already fills the limit.
        if words.count > 1, words.count <= 8, phraseHits < limit, firstTerm.count == count + 1 {
            bytes.withUnsafeBufferPointer { all in
                guard let base = all.baseAddress else { return }
                for p in 0..<count where best[p] == Int.max {
                    let range = firstTerm[p]..<firstTerm[p + 1]
                    var matchedAll = true
                    for word in words {
                        var found = false
                        Array(word).withUnsafeBufferPointer { w in
                            for t in range {
                                let term = terms[t]
                                let slice = UnsafeBufferPointer(start: base + Int(term.start), count: Int(term.length))
                                if let c = SearchIndex.matchClass(slice, w), c <= 2 { found = true; break }
                            }
                        }
                        if !found { matchedAll = false; break }
                    }
                    if matchedAll { best[p] = 4 * 4 + 3 }
                }
            }
        }
        var hits: [Int] = []
        for p in 0..<count where best[p] != Int.max { hits.append(p) }
        hits.sort { a, b in
            let ca = best[a] / 4, cb = best[b] / 4
            if ca != cb { return ca < cb }
            if marketed[a] != marketed[b] { return marketed[a] }
            if abstract[a] != abstract[b] { return !abstract[a] }
            let ka = best[a] % 4, kb = best[b] % 4
            if ka != kb { return ka < kb }
            if foldedNames[a] != foldedNames[b] { return foldedNames[a].lexicographicallyPrecedes(foldedNames[b]) }
            return a < b
        }
        if hits.count > limit { hits.removeLast(hits.count - limit) }
        return hits
    }
}

/// The usual French abbreviations a doctor types, derived from a product's diseases so
/// that they work for NUVA imports as well as for the built-in list.
enum Keywords {
    static func keywords(for product: VaccineProduct) -> [String] {
        let d = product.diseaseCodes
        var out: [String] = []
        let measles = Disease.measles.code, mumps = Disease.mumps.code, rubella = Disease.rubella.code
        if d.contains(measles) && d.contains(mumps) && d.contains(rubella) {
            out.append("ROR")
            if d.contains(Disease.varicella.code) { out.append("RORV") }
        }
        let dtp = [Disease.diphtheria, Disease.tetanus, Disease.polio].allSatisfy { d.contains($0.code) }
        if dtp {
            out.append("DTP")
            if d.contains(Disease.pertussis.code) { out.append("DTCaP") }
            if d.contains(Disease.hib.code) && d.contains(Disease.hepatitisB.code) && d.contains(Disease.pertussis.code) {
                out.append("hexavalent")
            } else if d.contains(Disease.hib.code) && d.contains(Disease.pertussis.code) {
                out.append("pentavalent")
            } else if d.contains(Disease.pertussis.code) {
                out.append("tétravalent")
            }
        }
        if d.contains(Disease.hpv.code) { out.append("HPV") }
        if d.contains(Disease.rsv.code) { out.append("VRS"); out.append("RSV") }
        if d.contains(Disease.hepatitisB.code) { out.append("VHB") }
        if d.contains(Disease.meningococcusB.code) { out.append("MenB") }
        if [Disease.meningococcusA, Disease.meningococcusC, Disease.meningococcusW, Disease.meningococcusY].allSatisfy({ d.contains($0.code) }) {
            out.append("MenACWY")
        }
        if d.contains(Disease.pneumococcus.code) { out.append("pneumococcique") }
        if d.contains(Disease.influenza.code) { out.append("grippe") }
        return out
    }
}
