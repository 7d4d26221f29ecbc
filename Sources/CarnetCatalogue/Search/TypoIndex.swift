/// The vocabulary's words within one typo of a query word, found without scanning the vocabulary
/// (docs/catalogue.md, "Search"): buckets of words by a pair of letters at a fixed place.
///
/// A query word `w` of five letters or more and a prefix `p` of a word (of `w`'s length, one
/// less or one more) that are one substitution, insertion, deletion or swap of neighbouring
/// letters apart agree on one of these, depending on where the edit is:
/// - the edit at or after `w`'s third letter: `p` starts with `w`'s first two letters;
/// - the edit within the first two letters: `w[3] w[4]` stand in `p` at offset 3 (substitution,
///   swap), 2 (a letter of `w` missing from `p`) or 4 (a letter added in `p`).
/// So each word is filed under its first two letters and under its letter pairs at offsets 2, 3
/// and 4; a query looks in four buckets and `SearchIndex` verifies each candidate with the exact
/// one-edit test (the buckets only narrow). Four entries per word: ≈ 100 KB for NUVA's
/// vocabulary, built in well under a millisecond, where a deletion neighbourhood of every prefix
/// was half a million entries and a quarter of a second (docs/performance.md).
///
/// Immutable after init.
struct TypoIndex: Sendable {
    /// Query words shorter than this are not looked up with a typo.
    static let shortestQuery = 5

    /// Sorted keys (place and letter pair), and the word id of each.
    private var keys: [UInt32] = []
    private var words: [Int32] = []

    /// `vocabulary`: the words back to back, word w spanning `wordStart[w] ..< wordStart[w + 1]`.
    init(vocabulary: [UInt8], wordStart: [Int32]) {
        var pairs: [(key: UInt32, word: Int32)] = []
        let count = max(wordStart.count - 1, 0)
        pairs.reserveCapacity(count * 4)
        for w in 0..<count {
            let start = Int(wordStart[w]), end = Int(wordStart[w + 1])
            // A prefix within one edit of a five-letter word has four letters at least.
            guard start >= 0, end <= vocabulary.count, end - start >= TypoIndex.shortestQuery - 1 else { continue }
            let id = Int32(truncatingIfNeeded: w)
            pairs.append((TypoIndex.key(place: 0, vocabulary[start], vocabulary[start + 1]), id))
            for place in 2...4 where start + place + 1 < end {
                pairs.append((TypoIndex.key(place: place, vocabulary[start + place], vocabulary[start + place + 1]), id))
            }
        }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.word < $1.word }
        keys.reserveCapacity(pairs.count)
        words.reserveCapacity(pairs.count)
        for pair in pairs where keys.last != pair.key || words.last != pair.word {
            keys.append(pair.key)
            words.append(pair.word)
        }
    }

    var entryCount: Int { keys.count }

    /// Ids of words some prefix of which may be within one edit of `w` (sorted, each once).
    func candidates(_ w: UnsafeBufferPointer<UInt8>) -> [Int32] {
        guard w.count >= TypoIndex.shortestQuery else { return [] }
        var found: [Int32] = []
        for key in [TypoIndex.key(place: 0, w[0], w[1]), TypoIndex.key(place: 2, w[3], w[4]),
                    TypoIndex.key(place: 3, w[3], w[4]), TypoIndex.key(place: 4, w[3], w[4])] {
            var i = lowerBound(key)
            while i < keys.count && keys[i] == key {
                found.append(words[i])
                i += 1
            }
        }
        found.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(found.count)
        for id in found where unique.last != id { unique.append(id) }
        return unique
    }

    private func lowerBound(_ key: UInt32) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = low + (high - low) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    @inline(__always)
    private static func key(place: Int, _ a: UInt8, _ b: UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: place) << 16 | UInt32(a) << 8 | UInt32(b)
    }
}
