// carnet-catalogue-bench: first-use load of the built-in catalogue, and search latency over it.
//
//   swift run -c release carnet-catalogue-bench [NUVA directory]    (make bench)
//   swift run -c release carnet-catalogue-bench --show "query" ...  (top results, for tuning)
//
// 1. Load: the time and resident memory the first use of `VaccineCatalogue.builtIn` adds (the
//    compiled-in NUVA snapshot, parsed and indexed), measured first thing in the process, next
//    to baselines of the same run: the hand-made 61-product list it replaces, and (when the
//    release directory exists) a YAML import of the release. Target: < 20 ms, < 25 MiB.
// 2. Search: realistic queries in classes, many runs each; p50 / p99 / max per class and
//    overall, next to a naive linear scan baseline (fold every product's texts at query time,
//    substring test, sort). Target: p99 < 200 µs.
import CarnetCatalogue
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
let clock = ContinuousClock()

/// Resident set size in bytes (/proc/self/statm, field 2, in pages).
func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var buffer = [UInt8](repeating: 0, count: 256)
    let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
    let fields = buffer[0..<n].split(separator: 0x20)
    guard fields.count >= 2, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let rssStart = residentBytes()
let handStart = clock.now
let handMadeCount = VaccineCatalogue.handMade.count
let handTime = clock.now - handStart
let rssAfterHand = residentBytes()
let loadStart = clock.now
let catalogue = VaccineCatalogue.builtIn
let loadTime = clock.now - loadStart
let rssAfterLoad = residentBytes()

if arguments.count > 2, arguments[1] == "--show" {
    for q in arguments.dropFirst(2) {
        print("\(q):")
        for p in catalogue.search(q, limit: 6) {
            print("   \(p.name)  [\(p.cis ?? "-")] \(p.marketedInFrance ? "FR" : "") \(p.isAbstract ? "abstract" : "")")
        }
    }
    exitProcess(0)
}

let directory = arguments.count > 1 ? arguments[1] : "../shared/data/nuva"
let iterations = 1_000
let limit = 20

let importStart = clock.now
let imported = try? VaccineCatalogue.importNUVA(directory: directory, mode: .replace)
let importTime = clock.now - importStart

let queryClasses: [(String, [String])] = [
    ("exact name", ["AGRIPPAL", "Hexyon", "Bexsero", "Gardasil 9", "Prevenar 20", "Shingrix", "STAMARIL", "IXIARO"]),
    ("name prefix", ["agri", "prev", "vaxi", "infanr", "m-m-r", "boost", "pentax", "typhim"]),
    ("presentation", ["AGRIPPAL SER 0,5ML", "PREVENAR 13 SUSP INJ SER", "VAXIGRIPTETRA SUSP INJ 0,5 ML", "ACT-HIB PDR"]),
    ("typo", ["gardasl", "pentaxin", "bostrix", "stamarill", "coqueluhe", "varicele"]),
    ("disease (fr)", ["grippe", "méningocoque B", "rougeole", "coqueluche", "hépatite b", "zona", "pneumocoque"]),
    ("travel", ["fièvre jaune", "typhoïde", "rage", "encéphalite à tiques", "encéphalite japonaise", "choléra", "dengue", "mpox"]),
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

let mib = 1_048_576.0
print("first use of VaccineCatalogue.builtIn: \(catalogue.count) products (NUVA \(catalogue.info.version)) in \(fmt(micros(loadTime) / 1000)) ms, +\(fmt(Double(rssAfterLoad - rssAfterHand) / mib)) MiB resident")
print("  baseline, hand-made list: \(handMadeCount) products in \(fmt(micros(handTime) / 1000)) ms, +\(fmt(Double(rssAfterHand - rssStart) / mib)) MiB")
if let imported {
    print("  baseline, YAML import of \(directory): \(imported.count) products in \(fmt(micros(importTime) / 1000)) ms")
} else {
    print("  baseline, YAML import: no release at \(directory)")
}
let loadMet = micros(loadTime) < 20_000 && Double(rssAfterLoad - rssAfterHand) / mib < 25
print("load target < 20 ms, < 25 MiB: \(loadMet ? "met" : "NOT MET")\n")
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
print("\nsearch target p99 < 200 µs: \(p99 < 200 ? "met" : "NOT MET") (p99 = \(fmt(p99)) µs)   [checksum \(sink)]")

func exitFailure() -> Never {
    exitProcess(1)
}
