import Testing
@testable import CarnetCore

@Suite struct ServiceURLTests {
    @Test(arguments: [
        ("https://cve.example.fr/fhir", "cve.example.fr"),
        ("https://cve.example.fr:8443/fhir/", "cve.example.fr"),
        ("HTTPS://127.0.0.1:8443", "127.0.0.1"),
        ("https://[::1]:8443/fhir", "::1"),
    ])
    func acceptsHTTPSWithAHost(text: String, host: String) throws {
        let url = try #require(ServiceURL(text))
        #expect(url.host == host)
        #expect(!url.text.hasSuffix("/"))
    }

    @Test(arguments: [
        "http://cve.example.fr", "ftp://x", "https://", "https:///fhir", "https://user:pw@host/fhir",
        "https://host/fhir?x=1", "https://host/#frag", "https://host:0/", "https://host:65536/", "https://host:8a/",
        "https://ho st/", "https://hôte.fr/", "https://[::1/", "https://a:1:2/", " https://host/",
    ])
    func refusesAnythingElse(text: String) {
        #expect(ServiceURL(text) == nil)
    }
}

@Suite struct ClientConfigurationTests {
    @Test func appliesDefaultsAndBounds() throws {
        let config = try ClientConfiguration(serviceURL: nil, storeDirectory: "/tmp/x")
        #expect(config.connectTimeoutMilliseconds == ClientConfiguration.defaultConnectTimeoutMilliseconds)
        #expect(config.requestTimeoutMilliseconds == ClientConfiguration.defaultRequestTimeoutMilliseconds)
        #expect(config.locale == .french)
        #expect(throws: CarnetFailure.self) {
            try ClientConfiguration(serviceURL: nil, storeDirectory: "/tmp/x", requestTimeoutMilliseconds: .max)
        }
        #expect(throws: CarnetFailure.self) {
            try ClientConfiguration(serviceURL: "http://x", storeDirectory: "/tmp/x")
        }
        #expect(throws: CarnetFailure.self) { try ClientConfiguration(serviceURL: nil, storeDirectory: "") }
    }
}

@Suite struct IdentifierTests {
    @Test func recordIDsAreCanonicalLowercaseUUIDs() throws {
        #expect(RecordID("6F9619FF-8B86-D011-B42D-00C04FC964FF")?.value == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
        for bad in [
            "", "6f9619ff8b86d011b42d00c04fc964ff", "6f9619ff-8b86-d011-b42d-00c04fc964fz",
            "6f9619ff-8b86-d011-b42d-00c04fc964ff-", "６f9619ff-8b86-d011-b42d-00c04fc964ff",
        ] {
            #expect(RecordID(bad) == nil, "\(bad)")
        }
    }

    @Test func hostPatientIDsAreBoundedAndPrintable() throws {
        #expect(try HostPatientID("Dupont Élodie #7").value == "Dupont Élodie #7")
        #expect(throws: CarnetFailure.self) { try HostPatientID("") }
        #expect(throws: CarnetFailure.self) { try HostPatientID("a\u{0}b") }
        #expect(throws: CarnetFailure.self) { try HostPatientID(String(repeating: "é", count: 200)) }
    }
}

@Suite struct CancellationTests {
    @Test func cancelStopsOnlyOperationsAlreadyRunning() {
        let cancellation = Cancellation()
        let before = cancellation.token()
        #expect(!before.isCancelled)
        cancellation.cancel()
        #expect(before.isCancelled)
        #expect(throws: CarnetFailure.self) { try before.check() }
        let after = cancellation.token()
        #expect(!after.isCancelled)
    }
}

@Suite struct LoggerTests {
    final class Lines: @unchecked Sendable { var items: [(LogLevel, String)] = [] }

    @Test func deliversOnlyUpToTheChosenLevel() {
        let lines = Lines()
        let logger = Logger(maxLevel: .warning) { level, text in lines.items.append((level, text)) }
        logger.log(.error, "e")
        logger.log(.warning, "w")
        logger.log(.info, "i")
        logger.log(.debug, "d")
        #expect(lines.items.map(\.1) == ["e", "w"])
        #expect(!Logger.disabled.isEnabled(.error))
    }
}
