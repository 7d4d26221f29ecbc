import CarnetJSON
@testable import CarnetCore
import Testing

/// docs/sync.md, "Pull: one changes feed" and "Conflicts".
@Suite struct PullTests {
    @Test func oneFeedForThePractitionerProposesWhatOthersRecorded() throws {
        let h = try EngineHarness()
        let remote = h.service.recordElsewhere(carnet: EngineHarness.carnetText)
        h.service.recordElsewhere(carnet: EngineHarness.otherCarnetText)
        // A carnet no host patient is linked to does not concern this workstation.
        h.service.recordElsewhere(carnet: "00000000-0000-0000-0000-000000000000")
        let report = try h.sync()
        #expect(report.proposals.added.count == 2)
        #expect(h.service.requests(.get, "$changes") == 1)
        let mine = try h.store.proposals(patient: h.patient)
        #expect(mine.added.count == 1)
        #expect(mine.added.first?["immunization"]?["id"]?.stringValue == remote)
    }

    @Test func theCursorMovesWithEachPageAndAFailedPageIsReadAgain() throws {
        let h = try EngineHarness()
        for _ in 0..<250 { h.service.recordElsewhere(carnet: EngineHarness.carnetText) }
        let pages = RequestCounter()
        h.service.fail(.networkBeforeActing) { request in
            request.path == "$changes" && pages.next() == 2
        }
        let first = try h.sync()
        #expect(first.pullFailure?.kind == .network)
        #expect(try h.store.changesCursor() == 100)
        #expect(first.proposals.added.count == 100)
        let second = try h.sync()
        #expect(second.pullFailure == nil)
        #expect(second.proposals.added.count == 250)
        #expect(try h.store.changesCursor() == 250)
        // Pages were 100, then (failed), then 100 and 50 — never a skipped or repeated entry.
        let cursors = h.service.requests.filter { $0.path == "$changes" }
            .compactMap { request in request.query.first { $0.0 == "_cursor" }?.1 }
        #expect(cursors == ["0", "100", "100", "200"])
    }

    @Test func aChangeAppliedTwiceIsHarmlessAndVersionsOnlyMoveUp() throws {
        let h = try EngineHarness()
        let resource = EngineHarness.immunization("x")
        var newer = resource
        newer["patient"] = ["reference": .string("Patient/" + EngineHarness.carnetText)]
        newer["lotNumber"] = "NEW"
        var older = newer
        older["lotNumber"] = "OLD"
        let change2 = RemoteChange(
            immunizationID: "r1", version: 2, deleted: false,
            recordID: EngineHarness.carnetText, resource: newer)
        let change1 = RemoteChange(
            immunizationID: "r1", version: 1, deleted: false,
            recordID: EngineHarness.carnetText, resource: older)
        try h.store.apply([change2], newCursor: 5, scope: h.engine.scope)
        try h.store.apply([change2, change1], newCursor: 6, scope: h.engine.scope)
        let proposals = try h.store.proposals(patient: h.patient)
        #expect(proposals.added.count == 1)
        #expect(proposals.added.first?["immunization"]?["lotNumber"]?.stringValue == "NEW")
    }

    @Test func aVaccinationChangedElsewhereIsProposedUntilTheHostAcknowledges() throws {
        let h = try EngineHarness()
        let id = try #require(try h.add("v1").document["immunization_id"]?.stringValue)
        h.service.editElsewhere(id) { $0["lotNumber"] = "CORRECTED" }
        let report = try h.sync()
        #expect(report.proposals.changed.count == 1)
        #expect(report.proposals.changed.first?["host_vaccination_id"]?.stringValue == "v1")
        // Nothing is pushed over the service's version.
        #expect(h.service.requests(.post) == 1)
        #expect(h.service.requests(.put) == 0)
        #expect(try h.store.vaccination(patientID: h.patient.value, hostID: "v1")?.remoteVersion == 2)
        try h.store.accept(patient: h.patient, carnet: h.carnet, imported: [(id, "v1")], ignored: [])
        #expect(try h.sync().proposals.changed.isEmpty)
        let stored = try h.store.vaccination(patientID: h.patient.value, hostID: "v1")
        #expect(stored?.resource["lotNumber"]?.stringValue == "CORRECTED")
    }

    @Test func aVaccinationDeletedElsewhereIsProposedNotRepushedAndConfirmedLocally() throws {
        let h = try EngineHarness()
        let id = try #require(try h.add("v1").document["immunization_id"]?.stringValue)
        h.service.deleteElsewhere(id)
        let report = try h.sync()
        #expect(report.proposals.removed.count == 1)
        #expect(report.proposals.removed.first?["host_vaccination_id"]?.stringValue == "v1")
        #expect(try h.state("v1") == .removedRemotely)
        // Proposed at every sync until confirmed; never pushed back.
        #expect(try h.sync().proposals.removed.count == 1)
        #expect(h.service.requests(.post) == 1)
        #expect(try h.store.recordRemove(patient: h.patient, hostID: "v1") == .confirmedRemoteDeletion)
        #expect(try h.sync().proposals.removed.isEmpty)
        #expect(h.service.requests(.delete) == 0)
    }

    @Test func addedAgainAfterARemoteDeletionItIsCreatedAnew() throws {
        let h = try EngineHarness()
        let id = try #require(try h.add("v1").document["immunization_id"]?.stringValue)
        h.service.deleteElsewhere(id)
        _ = try h.sync()
        let again = try h.add("v1")
        #expect(again.isDelivered)
        #expect(again.document["immunization_id"]?.stringValue != id)
        #expect(h.serviceHostIDs == ["v1"])
        #expect(try h.sync().proposals.removed.isEmpty)
    }

    @Test func revokedAccessFreezesThatCarnetOnlyAndBlocksItsItems() throws {
        let h = try EngineHarness()
        h.service.revokeAccess(carnet: EngineHarness.carnetText)
        let refused = try h.add("v1")
        #expect(refused.refusal?.kind == .accessDenied)
        #expect(refused.refusal?.message == .accessRevoked)
        // The other patient's carnet keeps syncing; the blocked item is not retried.
        #expect(try h.add("w1", patient: h.otherPatient).isDelivered)
        _ = try h.sync()
        #expect(h.service.requests(.post) == 2)
        let pending = try h.store.outboxReport(patient: h.patient)
        #expect(pending.first?["status"]?.stringValue == "CARNET_E_ACCESS_DENIED")
        // The host clears an add that can never be delivered by removing it.
        #expect(try h.remove("v1").isDelivered)
        #expect(try h.outboxCount == 0)
    }

    @Test func aDeletedCarnetBlocksAddsWithNotFound() throws {
        let h = try EngineHarness()
        h.service.deleteCarnet(EngineHarness.carnetText)
        #expect(try h.add("v1").refusal?.kind == .notFound)
    }

    /// The feed replays a resource's earlier versions (its creation, then its tombstone): what
    /// this store removed never comes back as the host's, nor as a proposal.
    @Test func whatThisStoreRemovedNeverComesBackWithTheFeedsHistory() throws {
        let h = try EngineHarness()
        try h.add("keep")
        try h.add("gone")
        #expect(try h.remove("gone").isDelivered)
        for _ in 0..<2 {
            let report = try h.sync()
            #expect(report.proposals.count == 0)
        }
        #expect(try h.state("gone") == nil)
        #expect(throws: CarnetFailure.self) { try h.remove("gone") }
    }

    @Test func aVaccinationRecordedThenRemovedOnAnotherWorkstationIsNotBroughtBack() throws {
        let first = try EngineHarness(practiceID: PracticeTests.practice)
        let second = try first.secondWorkstation()
        try first.add("v1")
        try first.remove("v1")
        #expect(try second.sync().proposals.count == 0)
        #expect(try second.state("v1") == nil)
    }

    @Test func aStoppedPushSkipsThePull() throws {
        let h = try EngineHarness()
        h.service.fail(.networkBeforeActing)
        _ = try h.store.recordAdd(
            patient: h.patient, carnet: h.carnet, hostID: "v1",
            resource: EngineHarness.immunization("v1"))
        let report = try h.sync()
        #expect(report.stoppedBy?.kind == .network)
        #expect(h.service.requests(.get, "$changes") == 0)
    }
}
