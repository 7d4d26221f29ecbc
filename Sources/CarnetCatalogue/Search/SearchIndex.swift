#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Word index over the catalogue's folded names, usual abbreviations and French disease labels.
///
/// A query is folded (`FrenchFolding`), cut into words (French stop words such as « à », « de »
/// dropped), and each word is matched against the vocabulary — a few thousand distinct words,
/// scanned in one memchr-driven pass per query word — as an exact word, a prefix or a substring;
/// then, only when those do not fill the limit, as a word within one typo (words of five letters
/// or more) or a prefix within one typo, the candidates coming from `TypoIndex` (no scan). Postings then give
/// the products. Ranking, lower first:
///
/// 1. a code equal to the query (CIS, CIP13, NUVA, ATC);
/// 2. the letters of query words the product does not match (presentation-style input such as
///    "AGRIPPAL SER 0,5ML" keeps the product that matches its longest words);
/// 3. a typo or substring used;
/// 4. not marketed in France; 5. NUVA abstract vaccine;
/// 6. how well the words matched (exact < prefix; name < keyword < disease label);
/// 7. the name equal to the query; 8. shorter name; 9. name, then catalogue order.
///
/// At most 2^21 products (the key packs the static order in 21 bits); more are not indexed.
///
/// Immutable after init, so shared freely between threads; a query allocates a few small
/// arrays and never touches the products.
struct SearchIndex: Sendable {
    /// Where a word comes from, best first.
    enum Kind: UInt8 { case nameStart = 0, name = 1, keyword = 2, disease = 3 }

    struct Posting: Sendable {
        var product: Int32
        var kind: Kind
    }

    /// Every distinct word, back to back.
    private var vocabulary: [UInt8] = []
    /// Start of word w in `vocabulary`; `wordStart[w + 1]` ends it.
    private var wordStart: [Int32] = [0]
    /// Postings of word w: `postings[postingStart[w] ..< postingStart[w + 1]]`.
    private var postingStart: [Int32] = [0]
    private var postings: [Posting] = []
    private var marketed: [Bool] = []
    private var abstract: [Bool] = []
    private var foldedNames: [[UInt8]] = []
    /// The vocabulary again, each word preceded by a space, for one memchr-driven scan per query word.
    private var joined: [UInt8] = []
    /// How many times each byte occurs in `joined`: the scan looks for a word's rarest letter.
    private var letterCount = [Int32](repeating: 0, count: 256)
    /// Word id of each byte of `joined` (-1 on the spaces).
    private var wordAt: [Int32] = []
    /// Rank of each product by (folded name length, folded name, catalogue order), and back.
    private var staticOrder: [Int32] = []
    private var productAtOrder: [Int] = []
    let codes: CodeIndex
    /// The words within one typo of a query word, without scanning the vocabulary.
    private var typos = TypoIndex(vocabulary: [], wordStart: [0])

    var productCount: Int { marketed.count }

    init(_ products: [VaccineProduct]) {
        var ids: [[UInt8]: Int] = [:]
        var lists: [[Posting]] = []
        var words: [[UInt8]] = []
        func add(_ word: some Collection<UInt8>, _ product: Int, _ kind: Kind) {
            guard !word.isEmpty, word.count < 256 else { return }
            let key = Array(word)
            let id: Int
            if let known = ids[key] {
                id = known
            } else {
                id = words.count
                ids[key] = id
                words.append(key)
                lists.append([])
            }
            // One posting per (word, product), with the best kind.
            if let last = lists[id].last, Int(last.product) == product {
                if kind.rawValue < last.kind.rawValue { lists[id][lists[id].count - 1].kind = kind }
            } else {
                lists[id].append(Posting(product: Int32(truncatingIfNeeded: product), kind: kind))
            }
        }
        // Disease labels and keywords repeat across products: fold each text once.
        var foldCache: [String: [UInt8]] = [:]
        func addTerm(_ text: String, _ product: Int, name: Bool, kind: Kind) {
            let folded: [UInt8]
            if name {
                folded = FrenchFolding.fold(text)
            } else if let known = foldCache[text] {
                folded = known
            } else {
                folded = FrenchFolding.fold(text)
                foldCache[text] = folded
            }
            let parts = folded.split(separator: 0x20)
            for (i, part) in parts.enumerated() {
                add(part, product, name ? (i == 0 ? .nameStart : .name) : kind)
            }
            // "ACT-HIB" typed "acthib", "INFANRIX HEXA" typed "infanrixhexa".
            if name, parts.count > 1 { add(Array(parts.joined()), product, .name) }
        }
        for (i, p) in products.prefix(1 << 21).enumerated() {
            marketed.append(p.marketedInFrance)
            abstract.append(p.isAbstract)
            foldedNames.append(FrenchFolding.fold(p.name))
            addTerm(p.name, i, name: true, kind: .name)
            for alt in p.alternateNames { addTerm(alt, i, name: true, kind: .name) }
            for keyword in Keywords.keywords(for: p) { addTerm(keyword, i, name: false, kind: .keyword) }
            for disease in p.targetDiseases { addTerm(disease.label, i, name: false, kind: .disease) }
        }
        for (w, word) in words.enumerated() {
            joined.append(0x20)
            wordAt.append(-1)
            joined.append(contentsOf: word)
            wordAt.append(contentsOf: repeatElement(Int32(truncatingIfNeeded: w), count: word.count))
            vocabulary.append(contentsOf: word)
            wordStart.append(Int32(truncatingIfNeeded: vocabulary.count))
            postings.append(contentsOf: lists[w])
            postingStart.append(Int32(truncatingIfNeeded: postings.count))
        }
        for byte in joined { letterCount[Int(byte)] &+= 1 }
        let names = foldedNames
        productAtOrder = Array(0..<names.count).sorted { a, b in
            if names[a].count != names[b].count { return names[a].count < names[b].count }
            if names[a] != names[b] { return names[a].lexicographicallyPrecedes(names[b]) }
            return a < b
        }
        staticOrder = [Int32](repeating: 0, count: names.count)
        for (rank, p) in productAtOrder.enumerated() { staticOrder[p] = Int32(truncatingIfNeeded: rank) }
        codes = CodeIndex(products)
        typos = TypoIndex(vocabulary: vocabulary, wordStart: wordStart)
    }

    /// French words that carry no meaning in a vaccine query ("encéphalite à tiques").
    static let stopWords: Set<[UInt8]> = Set(["a", "au", "aux", "de", "des", "du", "d", "l", "la", "le", "les",
                                              "et", "en", "contre", "pour", "un", "une", "the", "of", "and"]
        .map { Array($0.utf8) })

    static let maximumWords = 8

    // Match qualities of a query word against a vocabulary word.
    static let exact = 0, prefix = 1, typo = 2, typoPrefix = 3, substring = 4
    static let noMatch = Int32.max

    func search(_ folded: [UInt8], limit: Int) -> [Int] {
        let count = productCount
        guard count > 0, limit > 0 else { return [] }
        var queryWords = folded.split(separator: 0x20).map { Array($0) }
        let meaningful = queryWords.filter { !SearchIndex.stopWords.contains($0) }
        if !meaningful.isEmpty { queryWords = meaningful }
        if queryWords.count > SearchIndex.maximumWords { queryWords.removeLast(queryWords.count - SearchIndex.maximumWords) }
        let n = queryWords.count
        guard n > 0 else { return [] }

        // best[i * count + p]: quality * 4 + kind of query word i in product p.
        var best = [Int32](repeating: SearchIndex.noMatch, count: n * count)
        joined.withUnsafeBufferPointer { text in
            for (i, word) in queryWords.enumerated() {
                word.withUnsafeBufferPointer { w in scanExactPrefixSubstring(w, text, row: i * count, into: &best) }
            }
        }
        // Typos rank after every typo-free match covering the same words, so they are looked
        // for only when the typo-free matches covering all words do not fill the limit.
        var complete = 0
        for p in 0..<count {
            var all = true
            for i in 0..<n where best[i * count + p] >= Int32(SearchIndex.typo * 4) { all = false; break }
            if all { complete += 1 }
        }
        if complete < limit {
            vocabulary.withUnsafeBufferPointer { vocab in
                for (i, word) in queryWords.enumerated() {
                    word.withUnsafeBufferPointer { w in findTypos(w, vocab, row: i * count, into: &best) }
                }
            }
        }
        // Codes: the whole query, spaces removed ("3400 9273 49997" as printed on a box).
        let compact = folded.filter { $0 != 0x20 }
        var codeHit = [Bool](repeating: false, count: count)
        for p in codes.exact(compact) { codeHit[p] = true }
        if n == 1, compact.count >= 4 {
            for p in codes.prefixed(compact) where best[p] > Int32(SearchIndex.prefix * 4) {
                best[p] = Int32(SearchIndex.prefix * 4)
            }
        }

        // One sortable key per hit, most significant first: code, name not equal to the query,
        // missing letters, typo used, a word matched only in part, not marketed, abstract, match
        // score, static order (name length, name, catalogue order), which also gives back the
        // product. Whole words before parts of words, even before the marketed flag: "zona" means
        // the shingles vaccines (the disease's word), abstract or withdrawn ones included, before
        // a marketed influenza vaccine whose name holds "zonale".
        var keys: [UInt64] = []
        for p in 0..<count {
            var missing = 0, score = 0, fuzzy = false, partial = false, matched = 0
            for i in 0..<n {
                let b = best[i * count + p]
                if b == SearchIndex.noMatch {
                    missing += queryWords[i].count
                } else {
                    matched += 1
                    score += Int(b)
                    if Int(b) / 4 >= SearchIndex.typo { fuzzy = true }
                    if Int(b) / 4 != SearchIndex.exact { partial = true }
                }
            }
            let isCode = codeHit[p]
            guard matched > 0 || isCode else { continue }
            if isCode { missing = 0 }
            var key = UInt64(isCode ? 0 : 1) << 47
            // A product whose whole name of several words is the query comes first, marketed or
            // not: "DI-TE-POL" means that product, not the marketed ones sharing its short words.
            // One word ("prevenar") often names a brand family: marketed products first, then
            // the exact name among equals (bit 21).
            let sameName = foldedNames[p] == folded
            key |= UInt64(sameName && n > 1 ? 0 : 1) << 46
            key |= UInt64(min(missing, 1023)) << 36
            key |= UInt64(fuzzy ? 1 : 0) << 35
            key |= UInt64(partial && !isCode ? 1 : 0) << 34
            key |= UInt64(marketed[p] ? 0 : 1) << 33
            key |= UInt64(abstract[p] ? 1 : 0) << 32
            key |= UInt64(min(score, 1023)) << 22
            key |= UInt64(sameName ? 0 : 1) << 21
            key |= UInt64(staticOrder[p])
            keys.append(key)
        }
        keys.sort()
        if keys.count > limit { keys.removeLast(keys.count - limit) }
        return keys.map { productAtOrder[Int($0 & 0x1F_FFFF)] }
    }

    /// Exact words, prefixes and substrings of `w` in one pass over the space-separated
    /// vocabulary (memchr on its rarest letter), then the postings of each word found.
    private func scanExactPrefixSubstring(_ w: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, row: Int,
                                          into best: inout [Int32]) {
        let m = w.count
        guard m > 0, let base = text.baseAddress, text.count > m else { return }
        // memchr on the word's rarest letter in the vocabulary (the "q" of "coqueluche"), not its
        // first: a common first letter stopped the scan every few bytes.
        var k = 0
        for i in 1..<m where letterCount[Int(w[i])] < letterCount[Int(w[k])] { k = i }
        let pivot = Int32(w[k])
        var pos = 1
        let lastStart = text.count - m
        while pos <= lastStart {
            guard let hit = memchr(base + pos + k, pivot, lastStart - pos + 1) else { break }
            let at = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base - k
            pos = at + 1
            var j = 0
            while j < m && text[at + j] == w[j] { j += 1 }
            guard j == m else { continue }
            let atStart = text[at - 1] == 0x20
            let atEnd = at + m == text.count || text[at + m] == 0x20
            let quality: Int
            if atStart {
                if atEnd { quality = SearchIndex.exact } else if m >= 2 { quality = SearchIndex.prefix } else { continue }
            } else if m >= 3 {
                quality = SearchIndex.substring
            } else {
                continue
            }
            let v = Int(wordAt[at])
            guard v >= 0 else { continue }
            apply(word: v, quality: quality, row: row, into: &best)
        }
    }

    /// Words within one typo of `w` (whole word, or a prefix of a longer word); `w` of five
    /// letters or more, letters only (a typo in a number is another code). The candidates come
    /// from the typo index; each is verified here.
    private func findTypos(_ w: UnsafeBufferPointer<UInt8>, _ vocab: UnsafeBufferPointer<UInt8>, row: Int,
                           into best: inout [Int32]) {
        let m = w.count
        guard m >= 5, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }), let base = vocab.baseAddress else { return }
        for candidate in typos.candidates(w) {
            let v = Int(candidate)
            guard v >= 0, v + 1 < wordStart.count else { continue }
            let start = Int(wordStart[v]), length = Int(wordStart[v + 1]) - start
            guard length >= m - 1 else { continue }
            let word = UnsafeBufferPointer(start: base + start, count: length)
            let quality: Int
            if length <= m + 1 && SearchIndex.withinOneEdit(w, word) {
                quality = SearchIndex.typo
            } else if SearchIndex.prefixWithinOneEdit(w, word) {
                quality = SearchIndex.typoPrefix
            } else {
                continue
            }
            apply(word: v, quality: quality, row: row, into: &best)
        }
    }

    @inline(__always)
    private func apply(word v: Int, quality: Int, row: Int, into best: inout [Int32]) {
        for k in Int(postingStart[v])..<Int(postingStart[v + 1]) {
            let posting = postings[k]
            let score = Int32(quality * 4 + Int(posting.kind.rawValue))
            let slot = row + Int(posting.product)
            if score < best[slot] { best[slot] = score }
        }
    }

    @inline(__always)
    static func hasPrefix(_ word: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count >= p.count else { return false }
        var i = 0
        while i < p.count {
            if word[i] != p[i] { return false }
            i += 1
        }
        return true
    }

    static func contains(_ word: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = word.count, m = p.count
        guard m > 0, m <= n, let first = p.first else { return false }
        var i = 1  // position 0 is the prefix case, already tested
        while i <= n - m {
            if word[i] == first {
                var j = 1
                while j < m && word[i + j] == p[j] { j += 1 }
                if j == m { return true }
            }
            i += 1
        }
        return false
    }

    /// True when `a` and `b` differ by at most one substitution, insertion, deletion or swap of
    /// two neighbouring letters (the typos of a keyboard).
    static func withinOneEdit(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let la = a.count, lb = b.count
        if la == lb {
            var i = 0
            while i < la && a[i] == b[i] { i += 1 }
            if i == la { return true }
            // Substitution at i, or a swap of i and i + 1.
            var j = i + 1
            while j < la && a[j] == b[j] { j += 1 }
            if j == la { return true }
            if i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] {
                j = i + 2
                while j < la && a[j] == b[j] { j += 1 }
                return j == la
            }
            return false
        }
        if la + 1 == lb { return oneInsertion(a, b) }
        if lb + 1 == la { return oneInsertion(b, a) }
        return false
    }

    /// `long` is `short` with one byte inserted somewhere.
    private static func oneInsertion(_ short: UnsafeBufferPointer<UInt8>, _ long: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        while i < short.count && short[i] == long[i + 1] { i += 1 }
        return i == short.count
    }

    /// Some prefix of `word` (of `w`'s length, one less or one more) is within one edit of `w`.
    static func prefixWithinOneEdit(_ w: UnsafeBufferPointer<UInt8>, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = w.count
        for length in (m - 1)...(m + 1) where length > 0 && length <= word.count {
            if withinOneEdit(w, UnsafeBufferPointer(rebasing: word[0..<length])) { return true }
        }
        return false
    }
}
