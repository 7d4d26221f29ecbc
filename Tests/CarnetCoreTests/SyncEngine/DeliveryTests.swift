import CarnetJSON
@testable import CarnetCore
import Testing

/// docs/sync.md, "Delivery: outbox, idempotent pushes": each rule against the in-memory service.
@Suite struct DeliveryTests {
    @Test func anAddIsDeliveredOnceAsAConditionalCreate() throws {
        let h = try EngineHarness()
        let outcome = try h.add("v1")
        #expect(outcome.isDelivered)
        #expect(outcome.state == "synced")
        #expect(outcome.document["immunization_id"]?.stringValue?.isEmpty == false)
        #expect(h.serviceHostIDs == ["v1"])
        let post = try #require(h.service.requests.first { $0.method == .post })
        let condition = try #require(post.headers.first { $0.0 == "If-None-Exist" }?.1)
        // The whole system|value token is percent-encoded, the bar included.
        #expect(condition.hasPrefix("identifier=urn%3Acarnet%3Ahost-vaccination%3A"))
        #expect(condition.hasSuffix("%7Cv1"))
        // The id comes back in Location: the resource is not asked for.
        #expect(post.headers.contains { $0.0 == "Prefer" && $0.1 == "return=minimal" })
        #expect(try h.outboxCount == 0)
    }

    @Test func theSameHostIDAddedTwiceRecordsNothingNew() throws {
        let h = try EngineHarness()
        try h.add("v1")
        let again = try h.add("v1")
        #expect(again.isDelivered)
        #expect(h.serviceHostIDs == ["v1"])
        #expect(h.service.requests(.post) == 1)
    }

    @Test func pendingItemsArePushedOldestFirst() throws {
        let h = try EngineHarness()
        h.service.fail(.networkBeforeActing)
        #expect(try h.add("first").pendingReason?.kind == .network)
        for id in ["second", "third", "fourth"] {
            h.service.fail(.networkBeforeActing)
            _ = try h.add(id)
        }
        let report = try h.sync()
        #expect(report.push.pushed == 4)
        #expect(h.serviceHostIDs == ["first", "second", "third", "fourth"])
    }

    @Test func removingAnAddNeverSentCancelsBothAndSendsNothing() throws {
        let h = try EngineHarness()
        let store = h.store
        _ = try store.recordAdd(
            patient: h.patient, carnet: h.carnet, hostID: "v1",
            resource: EngineHarness.immunization("v1"))
        #expect(try store.recordRemove(patient: h.patient, hostID: "v1") == .cancelledBeforeSending)
        _ = try h.sync()
        #expect(h.service.requests(.post) == 0)
        #expect(h.service.requests(.delete) == 0)
        #expect(try h.outboxCount == 0)
        #expect(try h.state("v1") == nil)
    }

    @Test func aRemoveDeletesOnTheServiceAndForgetsTheRow() throws {
        let h = try EngineHarness()
        try h.add("v1")
        let removed = try h.remove("v1")
        #expect(removed.isDelivered)
        #expect(removed.state == "removed")
        #expect(h.serviceHostIDs.isEmpty)
        #expect(try h.state("v1") == nil)
    }

    @Test func aRemoveOfSomethingAlreadyGoneIsASuccess() throws {
        let h = try EngineHarness()
        let id = try #require(try h.add("v1").document["immunization_id"]?.stringValue)
        h.service.deleteElsewhere(id)
        // Not pulled yet: the host still believes it is synced; the DELETE answers 410.
        let removed = try h.remove("v1")
        #expect(removed.isDelivered)
        #expect(h.service.requests(.delete) == 1)
    }

    /// A remove recorded while the first push of its add is in flight is a real remove: before,
    /// it was "cancelled" locally while the service created the vaccination, an orphan.
    @Test func aRemoveRacingTheFirstPushOfItsAddIsQueuedNotCancelled() throws {
        let h = try EngineHarness()
        let store = h.store
        let patient = h.patient
        let raced = RaceResult()
        h.service.onRequest = { request in
            guard request.method == .post, raced.value == nil else { return }
            raced.value = try? store.recordRemove(patient: patient, hostID: "v1")
        }
        _ = try store.recordAdd(
            patient: h.patient, carnet: h.carnet, hostID: "v1",
            resource: EngineHarness.immunization("v1"))
        let outcome = h.engine.deliver(patient: h.patient, hostID: "v1", token: h.token)
        #expect(raced.value == .queued)
        h.service.onRequest = nil
        // The add landed and the remove was queued behind it in the same round or the next.
        if !outcome.isDelivered || h.serviceHostIDs == ["v1"] { _ = try h.sync() }
        #expect(h.serviceHostIDs.isEmpty)
        #expect(try h.state("v1") == nil)
        #expect(try h.outboxCount == 0)
    }

    /// Deliveries of a page are committed together, and before a failure is recorded: a round
    /// stopped in the middle keeps what was delivered before it.
    @Test func aRoundStoppedMidPageKeepsWhatWasDeliveredBefore() throws {
        let h = try EngineHarness()
        for index in 0..<250 {
            _ = try h.store.recordAdd(
                patient: h.patient, carnet: h.carnet, hostID: "v\(index)",
                resource: EngineHarness.immunization("v\(index)"))
        }
        let counter = RequestCounter()
        h.service.fail(.networkBeforeActing) { request in
            guard request.method == .post else { return false }
            return counter.next() == 150
        }
        let report = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(report.pushed == 149)
        #expect(report.stoppedBy?.kind == .network)
        #expect(try h.outboxCount == 101)
        #expect(try h.state("v148") == .synced)
        #expect(try h.state("v149") == .pending)
        _ = try h.sync()
        #expect(Set(h.serviceHostIDs).count == 250)
        #expect(h.serviceHostIDs.count == 250)
    }

    @Test func aRemoveWaitsForItsAddsDeliveryInTheSamePage() throws {
        let h = try EngineHarness()
        h.service.fail(.networkBeforeActing)
        _ = try h.add("v1")
        // The add was attempted, so its remove is a real remove queued behind it.
        #expect(try h.store.recordRemove(patient: h.patient, hostID: "v1") == .queued)
        let report = try h.sync()
        #expect(report.push.pushed == 2)
        #expect(h.serviceHostIDs.isEmpty)
        #expect(h.service.requests(.delete) == 1)
    }
}

/// A value a test's hook sets from inside the engine's call.
final class RaceResult: @unchecked Sendable {
    var value: RemoveRecording?
}

final class RequestCounter: @unchecked Sendable {
    private var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
