import CarnetJSON
@testable import CarnetCore
import Testing

/// docs/sync.md, "Retries": one test per row of the table, and the backoff rules.
@Suite struct RetryTests {
    @Test func aNetworkFailureLeavesItPendingThenItIsDeliveredOnce() throws {
        let h = try EngineHarness()
        h.service.fail(.networkBeforeActing)
        let outcome = try h.add("v1")
        #expect(outcome.pendingReason?.kind == .network)
        #expect(outcome.state == "pending")
        #expect(outcome.document["status"]?.stringValue == "CARNET_E_NETWORK")
        #expect(h.serviceHostIDs.isEmpty)
        _ = try h.sync()
        #expect(h.serviceHostIDs == ["v1"])
    }

    @Test func anAnswerLostAfterTheServiceActedCreatesNothingTwice() throws {
        let h = try EngineHarness()
        h.service.fail(.answerLost)
        #expect(try h.add("v1").pendingReason?.kind == .network)
        #expect(h.serviceHostIDs == ["v1"])
        _ = try h.sync()
        #expect(h.serviceHostIDs == ["v1"])
        #expect(try h.state("v1") == .synced)
        #expect(h.service.requests(.post) == 2)
    }

    /// The retry's conditional create matches (200, no body: `return=minimal`). Where the
    /// vaccination is comes from Content-Location when the service says it, else from a search
    /// by the host's identifier: the same remote id either way.
    @Test(arguments: [true, false])
    func theRetryAfterALostAnswerLearnsWhereTheVaccinationIs(serviceSaysWhere: Bool) throws {
        let h = try EngineHarness()
        h.service.matchSaysWhere = serviceSaysWhere
        h.service.fail(.answerLost)
        _ = try h.add("v1")
        _ = try h.sync()
        #expect(try h.state("v1") == .synced)
        let remoteID = try h.store.vaccination(patientID: h.patient.value, hostID: "v1")?.remoteID
        #expect(remoteID != nil)
        #expect(remoteID == h.service.immunizations.first?["id"]?.stringValue)
        #expect(h.service.requests(.get, "Immunization") == (serviceSaysWhere ? 0 : 1))
    }

    @Test(arguments: [500, 502, 503])
    func serverErrorsAreRetried(status: Int) throws {
        let h = try EngineHarness()
        h.service.fail(.status(status, retryAfter: nil, detail: nil))
        let outcome = try h.add("v1")
        #expect(outcome.pendingReason?.kind == .http)
        #expect(try h.store.outboxReport(patient: nil).first?["blocked"] == false)
        _ = try h.sync()
        #expect(h.serviceHostIDs == ["v1"])
    }

    @Test func retryAfterHoldsEveryRequestAcrossARestartThenEverythingGoes() throws {
        let h = try EngineHarness()
        h.service.fail(.status(429, retryAfter: 30, detail: nil))
        let outcome = try h.add("v1")
        #expect(outcome.pendingReason?.kind == .locked)
        let sent = h.service.requests.count
        // Foreground calls, a second add and a restarted host: nothing is sent before it elapses.
        #expect(try h.add("v2").pendingReason?.kind == .locked)
        let restarted = try h.restarted()
        let report = try restarted.sync()
        #expect(report.stoppedBy?.kind == .locked)
        #expect(h.service.requests.count == sent)
        h.clock.advance(32)
        let after = try restarted.sync()
        #expect(after.stoppedBy == nil)
        #expect(h.serviceHostIDs == ["v1", "v2"])
        #expect(h.service.requests(.get, "$changes") == 1)
    }

    @Test func retryAfterOnTheChangesFeedHoldsTheNextPush() throws {
        let h = try EngineHarness()
        h.service.fail(.status(503, retryAfter: 20, detail: nil)) { $0.path == "$changes" }
        let first = try h.sync()
        #expect(first.pullFailure?.kind == .http)
        let sent = h.service.requests.count
        #expect(try h.restarted().add("v1").pendingReason?.kind == .locked)
        #expect(h.service.requests.count == sent)
    }

    @Test func aMalformedAnswerIsRetriedNotBlocked() throws {
        let h = try EngineHarness()
        h.service.fail(.malformedAnswer)
        let outcome = try h.add("v1")
        #expect(outcome.pendingReason?.kind == .protocolViolation)
        #expect(outcome.document["status"]?.stringValue == "CARNET_E_PROTOCOL")
        #expect(try h.store.outboxReport(patient: nil).first?["blocked"] == false)
        _ = try h.sync()
        #expect(h.serviceHostIDs == ["v1"])
        #expect(try h.state("v1") == .synced)
    }

    @Test func theRecordsOwnFaultBlocksItOnceAndIsNeverRetried() throws {
        let h = try EngineHarness()
        let outcome = try h.add("v1", date: "2027-06-01")
        #expect(outcome.refusal?.kind == .rejected)
        #expect(outcome.refusal?.message == .rejected(.dateInFuture))
        #expect(try h.state("v1") == .failed)
        let report = try h.store.outboxReport(patient: nil)
        #expect(report.first?["blocked"] == true)
        #expect(report.first?["status"]?.stringValue == "CARNET_E_REJECTED")
        _ = try h.sync()
        _ = try h.sync(dueOnly: true)
        #expect(h.service.requests(.post) == 1)
        // The same id recorded again is still refused (not "will be sent later").
        #expect(try h.add("v1", date: "2027-06-01").refusal?.kind == .rejected)
        // Removing it settles it locally: it never existed on the service.
        #expect(try h.remove("v1").isDelivered)
        #expect(try h.outboxCount == 0)
        #expect(h.service.requests(.delete) == 0)
    }

    @Test func credentialsRefusedStayPendingNotBlocked() throws {
        let h = try EngineHarness()
        h.service.fail(.status(401, retryAfter: nil, detail: "certificate-revoked"))
        let outcome = try h.add("v1")
        #expect(outcome.pendingReason?.kind == .credentials)
        #expect(try h.store.outboxReport(patient: nil).first?["blocked"] == false)
    }

    @Test func theBackgroundRoundWaitsForTheBackoffTheDoctorDoesNot() throws {
        let h = try EngineHarness()
        h.service.fail(.networkBeforeActing)
        _ = try h.add("v1")
        let posts = h.service.requests(.post)
        // Due only: the first retry is 1–3 s away.
        _ = try h.sync(dueOnly: true)
        #expect(h.service.requests(.post) == posts)
        // Across a restart too: the next attempt time is in the store.
        _ = try h.restarted().sync(dueOnly: true)
        #expect(h.service.requests(.post) == posts)
        h.clock.advance(4)
        _ = try h.sync(dueOnly: true)
        #expect(h.serviceHostIDs == ["v1"])

        h.service.fail(.networkBeforeActing)
        _ = try h.add("v2")
        // A foreground sync pushes everything now, backoff or not.
        _ = try h.sync()
        #expect(h.serviceHostIDs == ["v1", "v2"])
    }

    @Test func backoffDoublesWithJitterAndNeverTraps() {
        #expect(Backoff.delay(attempts: 1, retryAfter: nil, unit: 0) == 1)
        #expect(Backoff.delay(attempts: 1, retryAfter: nil, unit: 65_535) == 3)
        #expect(Backoff.delay(attempts: 3, retryAfter: nil, unit: 32_768) == 8)
        #expect(Backoff.delay(attempts: 40, retryAfter: nil, unit: 65_535) <= 5_400)
        #expect(Backoff.delay(attempts: .max, retryAfter: nil, unit: .max) >= 1_800)
        #expect(Backoff.delay(attempts: .min, retryAfter: .min, unit: .min) == 1)
        #expect(Backoff.delay(attempts: 1, retryAfter: 120, unit: 0) == 120)
    }

    @Test func aCancelledPushLeavesItPending() throws {
        let h = try EngineHarness()
        _ = try h.store.recordAdd(
            patient: h.patient, carnet: h.carnet, hostID: "v1",
            resource: EngineHarness.immunization("v1"))
        let cancellation = Cancellation()
        let token = cancellation.token()
        cancellation.cancel()
        let outcome = h.engine.deliver(patient: h.patient, hostID: "v1", token: token)
        #expect(outcome.pendingReason?.kind == .cancelled)
        #expect(h.service.requests.isEmpty)
        _ = try h.sync()
        #expect(h.serviceHostIDs == ["v1"])
    }
}
