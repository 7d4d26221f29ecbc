import Testing
@testable import CarnetCore
#if canImport(Glibc)
import Glibc
#endif

func temporaryDirectory() -> String {
    var template = Array("/tmp/carnet-core-test-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
        return String(cString: made)
    }
}

@Suite struct LocalStoreTests {
    @Test func opensMigratesAndReopens() throws {
        let dir = temporaryDirectory() + "/store"
        let store = try LocalStore(directory: dir)
        #expect(try store.schemaVersion() == StoreMigrations.latestVersion)
        let patient = try HostPatientID("p1")
        let carnet = try #require(RecordID("11111111-2222-3333-4444-555555555555"))
        try store.link(patient: patient, to: carnet)
        let reopened = try LocalStore(directory: dir)
        #expect(try reopened.recordID(forPatient: patient) == carnet)
        #expect(try reopened.linkCount() == 1)
        #expect(try reopened.unlink(patient: patient))
        #expect(try !reopened.unlink(patient: patient))
    }

    @Test func refusesAStoreFromTheFuture() throws {
        let dir = temporaryDirectory() + "/store"
        let store = try LocalStore(directory: dir)
        try store.withConnection { db throws(CarnetFailure) in
            try db.query(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, 0)",
                [.integer(Int64(StoreMigrations.latestVersion + 1))])
        }
        do {
            _ = try LocalStore(directory: dir)
            Issue.record("a newer store was opened")
        } catch {
            #expect(error.kind == .storage)
            #expect(
                error.message
                    == .storeNewerThanLibrary(
                        found: StoreMigrations.latestVersion + 1,
                        supported: StoreMigrations.latestVersion))
        }
    }

    @Test func transactionsRollBackOnFailure() throws {
        let store = try LocalStore(directory: temporaryDirectory() + "/store")
        try store.withConnection { db throws(CarnetFailure) in
            do {
                try db.transaction { () throws(CarnetFailure) in
                    try db.query("INSERT INTO store_state (key, value) VALUES ('k', 'v')")
                    throw CarnetFailure.internal("boom")
                }
            } catch {}
            #expect(try db.query("SELECT COUNT(*) FROM store_state WHERE key = 'k'").first?.first == .integer(0))
        }
    }
}
