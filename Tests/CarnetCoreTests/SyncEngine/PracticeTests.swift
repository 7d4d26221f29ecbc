import CarnetJSON
@testable import CarnetCore
import Testing

/// Several workstations of one practice (docs/sync.md, "A practice, not a workstation") and
/// corrections ("Corrections"), against the in-memory service.
@Suite struct PracticeTests {
    static let practice = "0b6c6a3e-5d1f-4c57-9a43-2f1d7f0e8c11"

    @Test func theOtherWorkstationRecognisesThePracticesVaccinationsAndNeverProposesThem() throws {
        let first = try EngineHarness(practiceID: PracticeTests.practice)
        let second = try first.secondWorkstation()
        #expect(try first.add("v1").isDelivered)
        let report = try second.sync()
        #expect(report.proposals.added.isEmpty)
        #expect(try second.state("v1") == .synced)
        // Removable from the other workstation.
        #expect(try second.remove("v1").isDelivered)
        #expect(first.serviceHostIDs.isEmpty)
    }

    @Test func theSameHostIDPushedFromBothWorkstationsIsCreatedOnce() throws {
        let first = try EngineHarness(practiceID: PracticeTests.practice)
        let second = try first.secondWorkstation()
        try first.add("v1")
        #expect(try second.add("v1").isDelivered)
        #expect(first.serviceHostIDs == ["v1"])
    }

    @Test func withoutAPracticeIDEachStoreIsItsOwnScope() throws {
        let first = try EngineHarness()
        let second = try first.secondWorkstation()
        try first.add("v1")
        // Not the same installation: workstation 2 sees a vaccination recorded elsewhere.
        #expect(try second.sync().proposals.added.count == 1)
        #expect(throws: CarnetFailure.self) { try second.remove("v1") }
    }

    @Test func aRemoveOfAnIdThisWorkstationNeverSawIsFoundOnTheServiceEvenAfterBeingOffline() throws {
        let first = try EngineHarness(practiceID: PracticeTests.practice)
        let second = try first.secondWorkstation()
        try first.add("v1")
        try first.add("v2")
        first.service.fail(.networkBeforeActing)
        #expect(try second.remove("v1").pendingReason?.kind == .network)
        _ = try second.sync()
        #expect(first.serviceHostIDs == ["v2"])
        #expect(try second.outboxCount == 0)
        #expect(first.service.requests(.delete) == 1)
    }

    @Test func aCorrectionIsAnUpdateConditionedOnTheVersionLastSeen() throws {
        let h = try EngineHarness()
        try h.add("v1")
        let corrected = try h.update("v1", lot: "L2")
        #expect(corrected.isDelivered)
        #expect(corrected.document["version"]?.stringValue == "2" || corrected.document["version"] == .number("2"))
        #expect(h.serviceLots == ["L2"])
        let put = try #require(h.service.requests.first { $0.method == .put })
        #expect(put.headers.contains { $0.0 == "If-Match" && $0.1 == "W/\"1\"" })
        // Our own update coming back through the feed is not a change made elsewhere.
        #expect(try h.sync().proposals.changed.isEmpty)
    }

    @Test func addingTheSameIDWithOtherContentIsRefusedNeverASilentOK() throws {
        let h = try EngineHarness()
        try h.add("v1")
        var resource = EngineHarness.immunization("v1")
        resource["lotNumber"] = "L9"
        do {
            _ = try h.store.recordAdd(patient: h.patient, carnet: h.carnet, hostID: "v1", resource: resource)
            Issue.record("other content under a known id was accepted")
        } catch {
            #expect(error.kind == .conflict)
            #expect(error.message == .recordedWithOtherContent)
        }
        #expect(h.serviceLots == ["L1"])
        // The same content again records nothing, and says it is there.
        #expect(try h.add("v1").isDelivered)
    }

    @Test func aCorrectionOverAnEditMadeElsewhereIsAConflictForTheHostNeverAnOverwrite() throws {
        let h = try EngineHarness()
        let id = try #require(try h.add("v1").document["immunization_id"]?.stringValue)
        h.service.editElsewhere(id) { $0["lotNumber"] = "THEIRS" }
        let refused = try h.update("v1", lot: "MINE")
        #expect(refused.refusal?.kind == .conflict)
        #expect(h.serviceLots == ["THEIRS"])
        // The host looks: the pull brings the service's version as a change to review.
        let report = try h.sync()
        #expect(report.proposals.changed.first?["immunization"]?["lotNumber"]?.stringValue == "THEIRS")
        // It decides to correct again, deliberately: conditioned on the version now seen.
        #expect(try h.update("v1", lot: "MINE").isDelivered)
        #expect(h.serviceLots == ["MINE"])
    }

    @Test func aCorrectionBeforeTheFirstPushTravelsWithTheAdd() throws {
        let h = try EngineHarness()
        _ = try h.store.recordAdd(
            patient: h.patient, carnet: h.carnet, hostID: "v1",
            resource: EngineHarness.immunization("v1"))
        #expect(try h.update("v1", lot: "L2").isDelivered)
        #expect(h.serviceLots == ["L2"])
        #expect(h.service.requests(.post) == 1)
        #expect(h.service.requests(.put) == 0)
    }

    @Test func aCorrectionAfterALostAnswerStillReachesTheService() throws {
        let h = try EngineHarness()
        h.service.fail(.answerLost)
        _ = try h.add("v1")
        #expect(h.serviceLots == ["L1"])
        // The service holds the old lot; the retried create answers 200 with it, then the update goes.
        #expect(try h.update("v1", lot: "L2").isDelivered)
        #expect(h.serviceLots == ["L2"])
        #expect(h.serviceHostIDs == ["v1"])
    }

    @Test func aRetriedCorrectionWhoseAnswerWasLostIsDeliveredNotAConflict() throws {
        let h = try EngineHarness()
        _ = try h.add("v1")
        h.service.fail(.answerLost)
        // The service applied the update; the answer never came: pending, not refused.
        #expect(try h.update("v1", lot: "L2").pendingReason != nil)
        #expect(h.serviceLots == ["L2"])
        // The retry's If-Match names the version before: 412, yet the content there is ours.
        let report = try h.sync()
        #expect(report.push.blocked.isEmpty)
        #expect(try h.outboxCount == 0)
        #expect(try h.state("v1") == .synced)
        #expect(h.serviceLots == ["L2"])
    }

    @Test func aConflictWithOtherContentStaysAConflictAfterTheLookup() throws {
        let first = try EngineHarness(practiceID: PracticeTests.practice)
        let second = try first.secondWorkstation()
        _ = try first.add("v1")
        #expect(try second.update("v1", lot: "FROM-2").isDelivered)
        #expect(try first.update("v1", lot: "FROM-1").refusal?.kind == .conflict)
        #expect(first.serviceLots == ["FROM-2"])
    }

    @Test func removingAVaccinationWhoseCorrectionIsBlockedLeavesNothingBlocked() throws {
        let first = try EngineHarness(practiceID: PracticeTests.practice)
        let second = try first.secondWorkstation()
        _ = try first.add("v1")
        #expect(try second.update("v1", lot: "FROM-2").isDelivered)
        #expect(try first.update("v1", lot: "FROM-1").refusal?.kind == .conflict)
        #expect(try first.remove("v1").isDelivered)
        #expect(try first.outboxCount == 0)
        #expect(first.serviceHostIDs.isEmpty)
    }

    @Test func aCorrectionOfARefusedAddSendsItAgain() throws {
        let h = try EngineHarness()
        #expect(try h.add("v1", date: "2027-06-01").refusal?.kind == .rejected)
        #expect(try h.update("v1", date: "2026-06-01", lot: "L1").isDelivered)
        #expect(h.serviceHostIDs == ["v1"])
    }

    @Test func theOtherWorkstationCorrectsAVaccinationItNeverSaw() throws {
        let first = try EngineHarness(practiceID: PracticeTests.practice)
        let second = try first.secondWorkstation()
        try first.add("v1")
        #expect(try second.update("v1", lot: "FIXED").isDelivered)
        #expect(first.serviceLots == ["FIXED"])
        #expect(first.serviceHostIDs == ["v1"])
    }

    @Test func aRemoveAfterACorrectionWinsAndNothingIsLeft() throws {
        let h = try EngineHarness()
        try h.add("v1")
        h.service.fail(.networkBeforeActing)
        _ = try h.update("v1", lot: "L2")
        #expect(try h.remove("v1").pendingReason != nil || h.serviceHostIDs.isEmpty)
        _ = try h.sync()
        #expect(h.serviceHostIDs.isEmpty)
        #expect(try h.outboxCount == 0)
        #expect(try h.state("v1") == nil)
    }

    @Test func practiceIDsMustBeGloballyUnique() {
        #expect(HostIDScope.isValidPracticeID(PracticeTests.practice))
        #expect(!HostIDScope.isValidPracticeID("cabinet"))
        #expect(!HostIDScope.isValidPracticeID("cabinet martin du centre"))
        #expect(!HostIDScope.isValidPracticeID(String(repeating: "a", count: 65)))
    }
}
