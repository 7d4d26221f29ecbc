import Testing
@testable import CarnetCatalogue

/// The typo index narrows the vocabulary without losing a word: every word the one-edit tests
/// accept is among its candidates (checked against a scan of the whole vocabulary).
@Suite("Typo index")
struct TypoIndexTests {
    /// The folded words of every product name of the built-in catalogue, each once.
    static let vocabulary: [[UInt8]] = {
        var seen = Set<[UInt8]>()
        var words: [[UInt8]] = []
        for product in VaccineCatalogue.builtIn.products {
            for part in FrenchFolding.fold(product.name).split(separator: 0x20) where seen.insert(Array(part)).inserted {
                words.append(Array(part))
            }
        }
        return words
    }()

    static func index(_ words: [[UInt8]]) -> TypoIndex {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        for word in words {
            bytes.append(contentsOf: word)
            starts.append(Int32(bytes.count))
        }
        return TypoIndex(vocabulary: bytes, wordStart: starts)
    }

    /// What the search accepts as a typo of `query` in `word`.
    static func accepted(_ query: [UInt8], _ word: [UInt8]) -> Bool {
        query.withUnsafeBufferPointer { q in
            word.withUnsafeBufferPointer { v in
                (v.count <= q.count + 1 && SearchIndex.withinOneEdit(q, v)) || SearchIndex.prefixWithinOneEdit(q, v)
            }
        }
    }

    /// A deterministic generator (SplitMix64): the same queries on every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test func everyWordWithinOneEditOfAPrefixIsACandidate() {
        let words = Self.vocabulary
        #expect(words.count > 500)
        let index = Self.index(words)
        var random = Generator(state: 2025)
        var checked = 0, hits = 0
        while checked < 300 {
            let word = words[random.next(words.count)]
            guard word.count >= 5, word.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { continue }
            var query = Array(word.prefix(5 + random.next(word.count - 4)))
            let at = random.next(query.count)
            switch random.next(4) {
            case 0: query[at] = UInt8(0x61 + random.next(26))  // substitution
            case 1: query.insert(UInt8(0x61 + random.next(26)), at: at)  // insertion
            case 2: query.remove(at: at)  // deletion
            default: if at + 1 < query.count { query.swapAt(at, at + 1) }  // swap
            }
            guard query.count >= 5 else { continue }
            checked += 1
            let candidates = query.withUnsafeBufferPointer { index.candidates($0) }
            for (id, other) in words.enumerated() where Self.accepted(query, other) {
                hits += 1
                #expect(candidates.contains(Int32(id)), "\(String(decoding: query, as: UTF8.self)) → \(String(decoding: other, as: UTF8.self))")
            }
        }
        #expect(hits >= 300, "each query at least finds the word it was made from")
    }

    @Test func candidatesAreFewAndShortQueriesHaveNone() {
        let index = Self.index(Self.vocabulary)
        let few = Array("pentax".utf8).withUnsafeBufferPointer { index.candidates($0) }
        // Four buckets of letter pairs: a tenth of the vocabulary at most, to verify one by one.
        #expect(!few.isEmpty && few.count < Self.vocabulary.count / 10, "\(few.count) of \(Self.vocabulary.count)")
        #expect(Array("grip".utf8).withUnsafeBufferPointer { index.candidates($0) }.isEmpty)
    }
}
