// The sandbox's hand-written instants, HTTP dates, percent-decoding and UUIDs (Support/), each
// checked against Foundation, the implementation they replace for speed, as an oracle.

import Foundation
import Testing

@testable import CarnetSandbox

@Suite struct TextFormatTests {
    static func foundationInstant(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        // Whole seconds through the formatter (exact in a Double), the milliseconds appended.
        let seconds = Date(timeIntervalSince1970: Double(ms / 1000))
        return formatter.string(from: seconds) + String(format: ".%03dZ", Int(ms % 1000))
    }

    /// Instants around the edges that matter: the epoch, leap days, year ends, now.
    static let instants: [Int64] = [
        0, 1, 999, 1000, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 1_709_164_800_123,
        1_735_689_599_999, 1_735_689_600_000, 4_102_444_800_000, 253_402_300_799_999,
    ]

    @Test func instantsMatchFoundation() {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2_000).map { _ in Int64.random(in: 0...4_102_444_800_000, using: &generator) }
        for ms in Self.instants + random {
            #expect(Time.instant(ms: ms) == Self.foundationInstant(ms), "\(ms)")
            #expect(Time.parseMs(Time.instant(ms: ms)) == ms, "\(ms)")
        }
    }

    @Test func httpDatesMatchFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for ms in Self.instants + (0..<500).map({ Int64($0) * 7_919_000_123 }) {
            #expect(Time.httpDate(ms: ms) == formatter.string(from: Date(timeIntervalSince1970: Double(ms / 1000))))
        }
        #expect(Time.httpDate(ms: 784_111_777_000) == "Sun, 06 Nov 1994 08:49:37 GMT")  // RFC 9110's example
    }

    @Test func parsesEveryFHIRFormAndRefusesTheRest() {
        #expect(Time.parseMs("2024") == 1_704_067_200_000)
        #expect(Time.parseMs("2024-02") == 1_706_745_600_000)
        #expect(Time.parseMs("2024-02-29") == 1_709_164_800_000)
        #expect(Time.parseMs("2024-02-29T10:00:00Z") == 1_709_200_800_000)
        #expect(Time.parseMs("2024-02-29T12:00:00+02:00") == 1_709_200_800_000)
        #expect(Time.parseMs("2024-02-29T06:30:00-03:30") == 1_709_200_800_000)
        #expect(Time.parseMs("2024-02-29T10:00:00.5Z") == 1_709_200_800_500)
        #expect(Time.parseMs("2024-02-29T10:00:00.123456789Z") == 1_709_200_800_123)
        for bad in [
            "", "202", "2024-2", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-01-01T",
            "2024-01-01T10:00Z", "2024-01-01T24:00:00Z", "2024-01-01T10:60:00Z", "2024-01-01T10:00:00",
            "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00+2:00", "2024-01-01T10:00:00+15:00", "2024-01-01 10:00:00Z",
            "2024-01-01T10:00:00ZZ", "２０２４-01-01", "2024-01-01T10:00:00.1234567890Z",
        ] {
            #expect(Time.parseMs(bad) == nil, "\(bad)")
        }
    }

    @Test func percentDecodingMatchesFoundation() {
        let samples = [
            "identifier", "urn%3Acarnet%3Ahost-vaccination%3Aabc%7Cv-1", "a+b", "%C3%A9t%C3%A9", "%e2%82%ac",
            "plain|bar", "100%", "%4", "%zz", "%C3", "%FF", "%00", "",
        ]
        for sample in samples {
            let oracle = sample.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            #expect(PercentDecoding.decode(Substring(sample)) == oracle, "\(sample)")
            #expect(PercentDecoding.decode(Substring(sample), plusAsSpace: false) == sample.removingPercentEncoding)
        }
    }

    @Test func hexMatchesFoundation() {
        let bytes: [UInt8] = Array(0...255) + [0, 15, 16, 255]
        #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    }

    @Test func uuidsAreVersion4AndDistinct() {
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let id = RandomUUID.make()
            let parsed = UUID(uuidString: id)
            #expect(parsed != nil && id == id.lowercased(), "\(id)")
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "4"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
            seen.insert(id)
        }
        #expect(seen.count == 1_000)
    }

    @Test func timeOrderedUUIDsAreVersion7AndSortInTheOrderMade() {
        var made: [String] = []
        // Several per millisecond, a clock that steps back, and a jump ahead; in 2100, later than
        // any id the other tests (running meanwhile) make with the real clock.
        let base: Int64 = 4_102_444_800_000
        for ms: Int64 in [base, base, base, base - 1_000, base + 1] + Array(repeating: base + 2, count: 5_000) + [base + 9_000]
        {
            made.append(RandomUUID.makeTimeOrdered(nowMs: ms))
        }
        #expect(made == made.sorted())
        #expect(Set(made).count == made.count)
        for id in made {
            let bytes = Array(id.utf8)
            #expect(UUID(uuidString: id) != nil && bytes[14] == UInt8(ascii: "7"), "\(id)")
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
        }
        // The first 48 bits are the time: 2100-01-01T00:00:00Z is 0x03bb2cc3d800.
        #expect(made[0].hasPrefix("03bb2cc3-d800-7"))
    }
}
