import CarnetJSON
import Testing

@Suite struct JSONParserTests {
    @Test func parsesAFHIRResourceKeepingMemberOrder() throws {
        let text =
            #"{"resourceType":"Immunization","id":"a1","occurrenceDateTime":"2026-01-02","lotNumber":"X","#
            + #""protocolApplied":[{"doseNumberPositiveInt":2}],"primarySource":true,"note":null}"#
        let value = try JSONValue.parse(text)
        #expect(value["resourceType"] == "Immunization")
        #expect(
            value.objectValue?.keys == [
                "resourceType", "id", "occurrenceDateTime", "lotNumber", "protocolApplied", "primarySource", "note",
            ])
        #expect(value["protocolApplied"]?[0]?["doseNumberPositiveInt"]?.intValue == 2)
        #expect(value.serialized() == text)
    }

    @Test func roundTripsEscapesAndNonASCII() throws {
        let original: JSONValue = ["name": "Élodie \"Zoé\" l'Hôpital\n\t\u{01}😀", "n": .number("-1.5e+10")]
        let text = original.serialized()
        #expect(text.contains("\\u0001"))
        #expect(try JSONValue.parse(text) == original)
        #expect(try JSONValue.parse(#""\ud83d\ude00 \u00e9""#) == "😀 é")
    }

    @Test func stringsWithoutEscapesAndWithOneAfterARunReadTheSame() throws {
        // The parser decodes a string without escapes in one go, and switches to scalar by
        // scalar at the first escape: both paths, and the switch in the middle of non-ASCII text.
        #expect(try JSONValue.parse(#"["Hôpital Saint-Éloi", "", "é\n", "Zoé \"Z\" ü", "\u00e9é"]"#)
                == ["Hôpital Saint-Éloi", "", "é\n", "Zoé \"Z\" ü", "éé"])
        for broken in [#""abc"#, #""é"#, "\"ab\u{01}\"", #""ab\"#] {
            #expect(throws: JSONError.self) { try JSONValue.parse(broken) }
        }
    }

    @Test func keepsHugeNumbersAsText() throws {
        let value = try JSONValue.parse("123456789012345678901234567890")
        #expect(value == .number("123456789012345678901234567890"))
        #expect(value.intValue == nil)
    }

    @Test(arguments: [
        ("{\"a\":1,\"a\":2}", JSONError.Kind.duplicateKey),
        ("[1,2", .unexpectedEnd),
        ("[1,]", .unexpectedCharacter),
        ("{\"a\" 1}", .unexpectedCharacter),
        ("01", .trailingData),
        ("1.", .invalidNumber),
        ("-", .invalidNumber),
        ("\"\\x\"", .invalidEscape),
        ("\"\\ud800\"", .invalidEscape),
        ("\"a\nb\"", .controlCharacterInString),
        ("tru", .unexpectedEnd),
        ("nul1", .unexpectedCharacter),
        ("{} {}", .trailingData),
        ("", .unexpectedEnd),
    ])
    func refusesMalformedDocuments(text: String, kind: JSONError.Kind) {
        #expect(throws: JSONError.self) { try JSONValue.parse(text) }
        do {
            _ = try JSONValue.parse(text)
        } catch {
            #expect(error.kind == kind)
        }
    }

    /// Duplicates are found by comparing keys in small objects and by a Set in large ones
    /// (JSONParser.isNew): a duplicate on each side of the switch, and at the switch itself.
    @Test(arguments: [2, 15, 16, 17, 40, 5_000])
    func findsADuplicateKeyWhateverTheObjectsSize(members: Int) {
        let keys = (0..<members).map { "k\($0)" }
        let distinct = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        #expect((try? JSONValue.parse(distinct))?.objectValue?.count == members)
        for repeated in [keys[0], keys[members / 2], keys[members - 1]] {
            let text = String(distinct.dropLast()) + ",\"\(repeated)\":2}"
            do {
                _ = try JSONValue.parse(text)
                Issue.record("a repeated \(repeated) among \(members) members was accepted")
            } catch {
                #expect(error.kind == .duplicateKey)
            }
        }
    }

    @Test func refusesInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // invalid byte
            [0x22, 0xC3, 0x22],  // truncated sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // past U+10FFFF
        ]
        for bytes in cases {
            do {
                _ = try JSONValue.parse(bytes)
                Issue.record("accepted \(bytes)")
            } catch {
                #expect(error.kind == .invalidUTF8)
            }
        }
    }

    @Test func boundsDepthWithoutRecursingPastTheLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError(kind: .tooDeep, offset: 64)) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONValue.parse(ok)) != nil)
    }

    @Test func boundsSizeAndNumberLength() {
        let limits = JSONLimits(maxBytes: 10, maxDepth: 8, maxNumberLength: 5)
        #expect(throws: JSONError.self) { try JSONValue.parse("[1,2,3,4,5,6]", limits: limits) }
        #expect(throws: JSONError(kind: .numberTooLong, offset: 0)) { try JSONValue.parse("123456", limits: limits) }
        #expect((try? JSONValue.parse("12345", limits: limits)) == .number("12345"))
    }

    @Test func objectSubscriptSetsReplacesAndRemoves() {
        var value: JSONValue = ["a": 1, "b": 2]
        value["a"] = "x"
        value["c"] = true
        value["b"] = nil
        #expect(value.serialized() == #"{"a":"x","c":true}"#)
    }
}
