import CarnetJSON
@testable import CarnetCore
import Testing

/// docs/sync.md, "Batches and many at once": what a batch-response entry says was written, with or
/// without its resource (the pusher asks for `Prefer: return=minimal`).
@Suite struct BatchAnswerTests {
    static func entry(location: String?, etag: String?) -> JSONValue {
        var response: JSONValue = ["status": "201 Created"]
        if let location { response["location"] = .string(location) }
        if let etag { response["etag"] = .string(etag) }
        return ["response": response]
    }

    @Test func theVersionComesFromTheLocationThenTheETag() throws {
        let full = try Pusher.delivered(Self.entry(location: "Immunization/abc/_history/3", etag: "W/\"9\""))
        #expect(full.id == "abc" && full.version == 3)
        let absolute = try Pusher.delivered(
            Self.entry(location: "https://service.example/fhir/Immunization/abc/_history/4", etag: nil))
        #expect(absolute.id == "abc" && absolute.version == 4)
        let bare = try Pusher.delivered(Self.entry(location: "Immunization/abc", etag: "W/\"7\""))
        #expect(bare.id == "abc" && bare.version == 7)
        let strong = try Pusher.delivered(Self.entry(location: "Immunization/abc", etag: "\"2\""))
        #expect(strong.version == 2)
        let neither = try Pusher.delivered(Self.entry(location: "Immunization/abc", etag: "garbage"))
        #expect(neither.version == 1)
    }

    @Test func aSingleWriteAnsweredMinimallyIsReadFromItsHeaders() {
        let written = Pusher.written(location: "https://s.example/fhir/Immunization/x1/_history/2", eTag: "W/\"2\"")
        #expect(written?.id == "x1" && written?.version == 2)
        #expect(Pusher.written(location: nil, eTag: "W/\"2\"") == nil)
        #expect(Pusher.written(location: "https://s.example/fhir/Patient/x1", eTag: nil) == nil)
    }

    @Test func theResourceWinsWhenTheServiceSendsIt() throws {
        var entry = Self.entry(location: "Immunization/other/_history/1", etag: nil)
        entry["resource"] = ["resourceType": "Immunization", "id": "abc", "meta": ["versionId": "5"]]
        let written = try Pusher.delivered(entry)
        #expect(written.id == "abc" && written.version == 5)
    }

    @Test func anEntryWithoutAnImmunizationLocationIsAProtocolViolation() {
        for location in [nil, "", "Patient/abc", "Immunization/", String(repeating: "x", count: 80)] {
            #expect(throws: CarnetFailure.self) {
                try Pusher.delivered(Self.entry(location: location, etag: "W/\"1\""))
            }
        }
        #expect(throws: CarnetFailure.self) {
            try Pusher.delivered(Self.entry(location: "Immunization/" + String(repeating: "x", count: 65), etag: nil))
        }
    }
}
