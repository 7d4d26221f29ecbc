// carnet-catalogue-bench: search latency over a full NUVA import.
//
//   swift run -c release carnet-catalogue-bench [NUVA directory, default ../shared/data/nuva]
//
// Imports the release, runs a fixed set of realistic queries many times, and prints
// p50 / p99 / max per query class and overall, next to a baseline measured in the same
// run: a naive linear scan that case-folds every product's name and disease labels at
// query time and keeps those containing the query. Target: p99 < 1 ms.
import CarnetCatalogue

let arguments = CommandLine.arguments
let directory = arguments.count > 1 ? arguments[1] : "../shared/data/nuva"
let iterations = 1_000
let limit = 20

let clock = ContinuousClock()
let importStart = clock.now
let catalogue: VaccineCatalogue
do {
    catalogue = try VaccineCatalogue.importNUVA(directory: directory, mode: .replace)
} catch {
    print("import failed: \(error)")
    exitFailure()
}
let importTime = clock.now - importStart

let queryClasses: [(String, [String])] = [
    ("exact name", ["AGRIPPAL", "Hexyon", "Bexsero", "Gardasil 9", "Prevenar 20", "Shingrix"]),
    ("name prefix", ["agri", "prev", "vaxi", "infanr", "m-m-r", "boost"]),
    ("disease (fr)", ["grippe", "méningocoque B", "rougeole", "coqueluche", "hépatite b", "zona", "pneumocoque"]),
    ("abbreviation", ["ror", "dtcap", "hpv", "vrs", "hexavalent"]),
    ("code", ["61921204", "3400934975448", "VAC0510", "J07BB02", "6192"]),
    ("substring/miss", ["rix", "vax", "tetra", "zzzz", "xq"]),
]

/// The baseline: fold everything at query time, keep substring matches, sort by name.
func naiveSearch(_ query: String, _ products: [VaccineProduct], limit: Int) -> [VaccineProduct] {
    let q = fold(query)
    guard !q.isEmpty else { return [] }
    var hits: [VaccineProduct] = []
    for p in products {
        var texts = [p.name] + p.targetDiseases.map(\.label)
        texts += p.cisCodes + p.cip13
        if texts.contains(where: { fold($0).contains(q) }) { hits.append(p) }
    }
    hits.sort { $0.name < $1.name }
    return Array(hits.prefix(limit))
}

func fold(_ s: String) -> String {
    var out = ""
    for c in s.lowercased() {
        switch c {
        case "é", "è", "ê", "ë": out.append("e")
        case "à", "â", "ä": out.append("a")
        case "î", "ï": out.append("i")
        case "ô", "ö": out.append("o")
        case "ù", "û", "ü": out.append("u")
        case "ç": out.append("c")
        case "œ": out.append("oe")
        case "æ": out.append("ae")
        case "-", "'", ".", ",", "/", "(", ")": out.append(" ")
        default: out.append(c)
        }
    }
    return out
}

func micros(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) * 1_000_000 + Double(atto) / 1_000_000_000_000
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[index]
}

func measure(_ queries: [String], runs: Int, _ body: (String) -> Int) -> (samples: [Double], sink: Int) {
    var samples: [Double] = []
    samples.reserveCapacity(queries.count * runs)
    var sink = 0
    for _ in 0..<runs {
        for q in queries {
            let t0 = clock.now
            sink &+= body(q)
            samples.append(micros(clock.now - t0))
        }
    }
    return (samples.sorted(), sink)
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
func fmt(_ v: Double) -> String {
    let hundredths = Int((v * 100).rounded())
    let frac = hundredths % 100
    return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
}

print("NUVA import: \(catalogue.count) products from \(directory) in \(fmt(micros(importTime) / 1000)) ms")
print("search(limit: \(limit)), \(iterations) runs per query (baseline: \(iterations / 10) runs); times in µs\n")
print(
    pad("query class", 16) + lpad("p50", 9) + lpad("p99", 9) + lpad("max", 9) + "   |" + lpad("base p50", 10)
        + lpad("base p99", 10) + lpad("speed-up", 10))

// Warm up (first-use costs: lazy statics, caches).
for (_, queries) in queryClasses { for q in queries { _ = catalogue.search(q, limit: limit) } }

var all: [Double] = [], allBase: [Double] = []
var sink = 0
for (name, queries) in queryClasses {
    let fast = measure(queries, runs: iterations) { catalogue.search($0, limit: limit).count }
    let base = measure(queries, runs: iterations / 10) { naiveSearch($0, catalogue.products, limit: limit).count }
    sink &+= fast.sink &+ base.sink
    all += fast.samples
    allBase += base.samples
    let p50 = percentile(fast.samples, 0.5), bp50 = percentile(base.samples, 0.5)
    print(pad(name, 16) + lpad(fmt(p50), 9) + lpad(fmt(percentile(fast.samples, 0.99)), 9)
          + lpad(fmt(fast.samples.last ?? 0), 9) + "   |" + lpad(fmt(bp50), 10)
          + lpad(fmt(percentile(base.samples, 0.99)), 10) + lpad(fmt(p50 > 0 ? bp50 / p50 : 0) + "x", 10))
}
all.sort()
allBase.sort()
let p99 = percentile(all, 0.99)
print(pad("overall", 16) + lpad(fmt(percentile(all, 0.5)), 9) + lpad(fmt(p99), 9) + lpad(fmt(all.last ?? 0), 9)
      + "   |" + lpad(fmt(percentile(allBase, 0.5)), 10) + lpad(fmt(percentile(allBase, 0.99)), 10))
print("\ntarget p99 < 1000 µs: \(p99 < 1000 ? "met" : "NOT MET") (p99 = \(fmt(p99)) µs)   [checksum \(sink)]")

func exitFailure() -> Never {
    exitProcess(1)
}
