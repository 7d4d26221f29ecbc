/// Folded codes (CIS, CIP13, NUVA, ATC) → products, exact and by prefix. CVX codes are kept
/// apart (`cvx`): they are short numbers naming vaccine types, and would shadow "13" or "20".
struct CodeIndex: Sendable {
    private var map: [[UInt8]: [Int]] = [:]
    /// Sorted, for prefix search.
    private var sorted: [(code: [UInt8], product: Int)] = []
    private(set) var cvx: [String: [Int]] = [:]

    init(_ products: [VaccineProduct]) {
        for (i, p) in products.enumerated() {
            var list = p.cisCodes + p.cip13
            if let atc = p.atc { list.append(atc) }
            if let nuva = p.nuva { list.append(nuva) }
            for code in list {
                let key = FrenchFolding.fold(code).filter { $0 != 0x20 }
                guard !key.isEmpty else { continue }
                if map[key]?.last != i { map[key, default: []].append(i) }
                sorted.append((key, i))
            }
            for code in p.cvx where cvx[code]?.last != i { cvx[code, default: []].append(i) }
        }
        sorted.sort { a, b in a.code.lexicographicallyPrecedes(b.code) || (a.code == b.code && a.product < b.product) }
    }

    /// Products whose code is `key` (folded, no spaces); `0510` is read as `VAC0510`.
    func exact(_ key: [UInt8]) -> [Int] {
        guard !key.isEmpty, key.count <= 64 else { return [] }
        if let hit = map[key] { return hit }
        if key.count == 4, key.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let hit = map[Array("vac".utf8) + key] {
            return hit
        }
        return []
    }

    /// Products with a code starting with `key`, each once, in catalogue order.
    func prefixed(_ key: [UInt8]) -> [Int] {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if sorted[mid].code.lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        var k = lo
        while k < sorted.count, sorted[k].code.starts(with: key), out.count < 5_000 {
            out.append(sorted[k].product)
            k += 1
        }
        return Array(Set(out)).sorted()
    }
}
