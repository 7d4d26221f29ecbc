@testable import CarnetCore
import Glibc
import Synchronization
import Testing

/// The pipeline of a backlog's exchanges (Sync/ExchangePipeline.swift): order, halting on a
/// failure, units never started, and the pusher's use of it against the in-memory service.
@Suite struct ExchangePipelineTests {
    /// Outcomes: the unit's number, negative for a failure.
    typealias Pipeline = ExchangePipeline<Int, Int>

    static func pipeline(
        lanes: Int = 1, wakeAfter: Int = 1, mayStart: @escaping @Sendable () -> Bool = { true }
    ) -> Pipeline {
        Pipeline(lanes: lanes, wakeAfter: wakeAfter, failed: { $0 < 0 }, mayStart: mayStart)
    }

    @Test func unitsRunOneAtATimeInTheOrderSubmitted() {
        let pipeline = ExchangePipelineTests.pipeline(wakeAfter: 3)
        defer { pipeline.finish() }
        let running = Atomic<Int>(0)
        let overlapped = Atomic<Bool>(false)
        let order = Mutex<[Int]>([])
        for unit in 1...40 {
            pipeline.submit(unit) { _ in
                if running.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue > 1 {
                    overlapped.store(true, ordering: .sequentiallyConsistent)
                }
                order.withLock { $0.append(unit) }
                running.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                return unit
            }
        }
        var answers: [Int] = []
        while let (unit, outcome) = pipeline.next() {
            #expect(outcome == unit)
            answers.append(unit)
        }
        #expect(answers == Array(1...40))
        #expect(order.withLock { $0 } == Array(1...40))
        let neverOverlapped = !overlapped.load(ordering: .sequentiallyConsistent)
        #expect(neverOverlapped)
    }

    @Test func aFailureHoldsBackWhatFollowsUntilResumed() {
        let pipeline = ExchangePipelineTests.pipeline()
        defer { pipeline.finish() }
        let ran = Mutex<[Int]>([])
        for unit in 1...5 {
            pipeline.submit(unit) { _ in
                ran.withLock { $0.append(unit) }
                return unit == 2 ? -2 : unit
            }
        }
        #expect(pipeline.next()?.outcome == 1)
        #expect(pipeline.next()?.outcome == -2)
        // Halted after unit 2: nothing else started, even given the time to.
        usleep(50_000)
        #expect(ran.withLock { $0 } == [1, 2])
        pipeline.resume()
        #expect(pipeline.next()?.outcome == 3)
        #expect(pipeline.next()?.outcome == 4)
        #expect(pipeline.next()?.outcome == 5)
        #expect(pipeline.next() == nil)
    }

    @Test func afterAHaltTheUnitsNotStartedComeBackWithoutAnOutcome() {
        let pipeline = ExchangePipelineTests.pipeline()
        defer { pipeline.finish() }
        let ran = Mutex<[Int]>([])
        for unit in 1...4 {
            pipeline.submit(unit) { _ in
                ran.withLock { $0.append(unit) }
                return unit == 1 ? -1 : unit
            }
        }
        #expect(pipeline.next()?.outcome == -1)
        pipeline.halt()
        var withdrawn: [Int] = []
        while let (unit, outcome) = pipeline.next() {
            #expect(outcome == nil)
            withdrawn.append(unit)
        }
        #expect(withdrawn == [2, 3, 4])
        #expect(ran.withLock { $0 } == [1])
    }

    @Test func nothingStartsOnceTheCallIsCancelled() {
        let cancelled = Atomic<Bool>(false)
        let pipeline = ExchangePipelineTests.pipeline(mayStart: { !cancelled.load(ordering: .sequentiallyConsistent) })
        defer { pipeline.finish() }
        for unit in 1...3 {
            pipeline.submit(unit) { _ in
                if unit == 2 { cancelled.store(true, ordering: .sequentiallyConsistent) }
                return unit
            }
        }
        #expect(pipeline.next()?.outcome == 1)
        #expect(pipeline.next()?.outcome == 2)
        let third = pipeline.next()
        #expect(third?.unit == 3 && third?.outcome == nil)
    }

    @Test func finishingWithUnitsQueuedEndsAfterTheOneRunning() {
        let pipeline = ExchangePipelineTests.pipeline()
        let ran = Atomic<Int>(0)
        for unit in 1...100 {
            pipeline.submit(unit) { _ in
                usleep(1_000)
                ran.wrappingAdd(1, ordering: .sequentiallyConsistent)
                return unit
            }
        }
        pipeline.finish()
        #expect(ran.load(ordering: .sequentiallyConsistent) < 100)
    }

    // MARK: - Several lanes (single requests to a service without batches)

    @Test func lanesRunUnitsAtTheSameTimeAndAnswersComeBackInTheOrderSubmitted() {
        let pipeline = ExchangePipelineTests.pipeline(lanes: 3, wakeAfter: 2)
        defer { pipeline.finish() }
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        let lanesSeen = Mutex<Set<Int>>([])
        let started = Mutex<[Int]>([])
        for unit in 1...30 {
            pipeline.submit(unit) { lane in
                started.withLock { $0.append(unit) }
                let now = running.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
                if now > most.load(ordering: .sequentiallyConsistent) { most.store(now, ordering: .sequentiallyConsistent) }
                lanesSeen.withLock { _ = $0.insert(lane) }
                // Later units end sooner: answers finish out of order on the lanes.
                usleep(UInt32(2_000 + (30 - unit) * 100))
                running.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                return unit
            }
        }
        var answers: [Int] = []
        while let (unit, outcome) = pipeline.next() {
            #expect(outcome == unit)
            answers.append(unit)
        }
        #expect(answers == Array(1...30))
        #expect(started.withLock { $0 }.sorted() == Array(1...30))  // each ran once
        let overlap = most.load(ordering: .sequentiallyConsistent)
        #expect(overlap >= 2 && overlap <= 3)
        #expect(lanesSeen.withLock { $0 }.isSubset(of: [0, 1, 2]))
        #expect(pipeline.lanesStarted == 3)
    }

    @Test func aShortBacklogOpensNoLaneItDoesNotNeed() {
        let pipeline = ExchangePipelineTests.pipeline(lanes: 4)
        defer { pipeline.finish() }
        pipeline.submit(1) { _ in 1 }
        #expect(pipeline.next()?.outcome == 1)
        pipeline.submit(2) { _ in 2 }
        #expect(pipeline.next()?.outcome == 2)
        #expect(pipeline.lanesStarted == 1)
    }

    @Test func aFailureOnOneLaneLetsTheRunningOnesEndAndStartsNothingNew() {
        let pipeline = ExchangePipelineTests.pipeline(lanes: 3)
        defer { pipeline.finish() }
        let ran = Mutex<[Int]>([])
        for unit in 1...12 {
            pipeline.submit(unit) { _ in
                // Unit 1 fails at once; 2 and 3, already running on the other lanes, end later.
                if unit != 1 { usleep(20_000) }
                ran.withLock { $0.append(unit) }
                return unit == 1 ? -1 : unit
            }
        }
        #expect(pipeline.next()?.outcome == -1)
        pipeline.halt()
        var settled: [Int] = [], withdrawn: [Int] = []
        while let (unit, outcome) = pipeline.next() {
            if let outcome {
                #expect(outcome == unit)
                settled.append(unit)
            } else {
                withdrawn.append(unit)
            }
        }
        // What was running when unit 1 failed came back with its outcome, in order; the rest never
        // started and came back without one.
        #expect(settled == Array(ran.withLock { $0 }.filter { $0 != 1 }).sorted())
        #expect(settled.count <= 2)
        #expect(withdrawn == Array((2 + settled.count)...12))
    }

    @Test func aLaneHeldBackByACancellationComesBackUnsentWhateverTheOthersDid() {
        let cancelled = Atomic<Bool>(false)
        let pipeline = ExchangePipelineTests.pipeline(
            lanes: 2, mayStart: { !cancelled.load(ordering: .sequentiallyConsistent) })
        defer { pipeline.finish() }
        for unit in 1...20 {
            pipeline.submit(unit) { _ in
                if unit == 4 { cancelled.store(true, ordering: .sequentiallyConsistent) }
                usleep(1_000)
                return unit
            }
        }
        var sent: [Int] = [], unsent: [Int] = []
        while let (unit, outcome) = pipeline.next() {
            if outcome == nil { unsent.append(unit) } else { sent.append(unit) }
            if outcome == nil { pipeline.halt() }
        }
        #expect(sent.contains(4))
        #expect(sent.count + unsent.count == 20)
        #expect(sent.allSatisfy { $0 <= 5 })  // at most the one on the other lane after it
        #expect(!unsent.isEmpty)
    }

    // MARK: - The pusher's backlog through it (a service without batches: one request per add)

    static func backlog(_ count: Int, in h: EngineHarness) throws {
        for index in 1...count {
            _ = try h.store.recordAdd(
                patient: h.patient, carnet: h.carnet, hostID: "v\(index)",
                resource: EngineHarness.immunization("v\(index)"))
        }
    }

    static func creates(_ hostID: String) -> @Sendable (FHIRRequest) -> Bool {
        { request in
            request.method == .post
                && request.headers.contains { $0.0 == "If-None-Exist" && $0.1.hasSuffix("%7C" + hostID) }
        }
    }

    @Test func aBacklogGoesInOrderEachOnce() throws {
        let h = try EngineHarness()
        try ExchangePipelineTests.backlog(230, in: h)
        let report = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(report.pushed == 230)
        #expect(h.serviceHostIDs == (1...230).map { "v\($0)" })
        #expect(h.service.requests(.post) == 230)
        #expect(try h.outboxCount == 0)
        #expect(try h.state("v230") == .synced)
    }

    @Test func aServiceErrorInTheMiddleStopsTheBacklogThere() throws {
        let h = try EngineHarness()
        try ExchangePipelineTests.backlog(60, in: h)
        h.service.fail(.status(503, retryAfter: nil, detail: nil), when: ExchangePipelineTests.creates("v7"))
        let report = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(report.pushed == 6)
        #expect(report.stoppedBy?.kind == .http)
        #expect(report.stoppedBy?.code == 503)
        // Nothing after the failed request left, though the next ones were already built.
        #expect(h.service.requests(.post) == 7)
        #expect(try h.state("v6") == .synced)
        #expect(try h.state("v7") == .pending)
        #expect(try h.state("v8") == .pending)
        #expect(try h.outboxCount == 54)
        _ = try h.sync()
        #expect(h.serviceHostIDs == (1...60).map { "v\($0)" })
    }

    @Test func anItemRefusedInTheMiddleIsBlockedAndTheOthersGo() throws {
        let h = try EngineHarness()
        try ExchangePipelineTests.backlog(40, in: h)
        h.service.fail(.status(422, retryAfter: nil, detail: "invalid"), when: ExchangePipelineTests.creates("v5"))
        let report = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(report.pushed == 39)
        #expect(report.blocked.map(\.hostID) == ["v5"])
        #expect(report.stoppedBy == nil)
        #expect(h.serviceHostIDs == (1...40).filter { $0 != 5 }.map { "v\($0)" })
        #expect(try h.outboxCount == 0)  // nothing left to send: v5 waits for the host, blocked
        #expect(try h.state("v5") != .synced)
    }

    @Test func aCancelledPushSendsNothingMoreAndCountsNoAttemptForWhatItDidNotSend() throws {
        let h = try EngineHarness()
        try ExchangePipelineTests.backlog(50, in: h)
        let cancellation = Cancellation()
        let counter = RequestCounter()
        h.service.onRequest = { request in
            if request.method == .post, counter.next() == 10 { cancellation.cancel() }
        }
        #expect(throws: CarnetFailure.self) {
            _ = try h.engine.push(patient: nil, dueOnly: false, token: cancellation.token())
        }
        h.service.onRequest = nil
        #expect(h.service.requests(.post) == 10)
        #expect(h.serviceHostIDs == (1...10).map { "v\($0)" })
        let waiting = try h.store.outboxItems(patient: nil, dueOnly: false)
        #expect(waiting.count == 40)
        #expect(waiting.allSatisfy { $0.attempts == 0 })
        _ = try h.sync()
        #expect(h.serviceHostIDs == (1...50).map { "v\($0)" })
    }

    // MARK: - The pusher's backlog on several lanes (a service without batches, 4 connections)

    static func laned() throws -> EngineHarness {
        let h = try EngineHarness()
        h.service.lanes = 4
        return h
    }

    @Test func aBacklogOnSeveralLanesArrivesEachOnce() throws {
        let h = try ExchangePipelineTests.laned()
        try ExchangePipelineTests.backlog(230, in: h)
        let report = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(report.pushed == 230)
        #expect(h.serviceHostIDs.sorted() == (1...230).map { "v\($0)" }.sorted())
        #expect(h.service.requests(.post) == 230)
        #expect(try h.outboxCount == 0)
        #expect(try (1...230).allSatisfy { try h.state("v\($0)") == .synced })
    }

    @Test func aServiceErrorOnOneLaneStopsTheBacklogAndWhatWasInFlightIsKept() throws {
        let h = try ExchangePipelineTests.laned()
        try ExchangePipelineTests.backlog(60, in: h)
        h.service.fail(.status(503, retryAfter: nil, detail: nil), when: ExchangePipelineTests.creates("v7"))
        let report = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(report.stoppedBy?.code == 503)
        // v1...v6 went before v7 started; what the other lanes sent while v7 travelled ended
        // normally and is counted; nothing was submitted once the failure was applied.
        let sent = h.service.requests(.post)
        #expect(sent >= 7 && sent <= 7 + Pusher.pipelineDepth * Pusher.singleRequestLanes)
        #expect(report.pushed == sent - 1)
        #expect(try (1...6).allSatisfy { try h.state("v\($0)") == .synced })
        #expect(try h.state("v7") == .pending)
        #expect(try h.outboxCount == 60 - report.pushed)
        _ = try h.sync()
        #expect(h.serviceHostIDs.sorted() == (1...60).map { "v\($0)" }.sorted())
        #expect(try h.outboxCount == 0)
    }

    @Test func anAnswerLostOnOneLaneIsSentAgainAndCreatedOnce() throws {
        let h = try ExchangePipelineTests.laned()
        try ExchangePipelineTests.backlog(40, in: h)
        h.service.fail(.answerLost, when: ExchangePipelineTests.creates("v9"))
        let first = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(first.stoppedBy?.kind == .network)
        _ = try h.sync()
        #expect(h.serviceHostIDs.sorted() == (1...40).map { "v\($0)" }.sorted())  // v9 once
        #expect(try h.outboxCount == 0)
    }

    @Test func anItemRefusedOnOneLaneIsBlockedAndTheOthersGo() throws {
        let h = try ExchangePipelineTests.laned()
        try ExchangePipelineTests.backlog(40, in: h)
        h.service.fail(.status(422, retryAfter: nil, detail: "invalid"), when: ExchangePipelineTests.creates("v5"))
        let report = try h.engine.push(patient: nil, dueOnly: false, token: h.token)
        #expect(report.pushed == 39)
        #expect(report.blocked.map(\.hostID) == ["v5"])
        #expect(report.stoppedBy == nil)
        #expect(h.serviceHostIDs.sorted() == (1...40).filter { $0 != 5 }.map { "v\($0)" }.sorted())
        #expect(try h.outboxCount == 0)
    }

    @Test func aCancelledPushOnSeveralLanesCountsNoAttemptForWhatItDidNotSend() throws {
        let h = try ExchangePipelineTests.laned()
        try ExchangePipelineTests.backlog(50, in: h)
        let cancellation = Cancellation()
        let counter = RequestCounter()
        h.service.onRequest = { request in
            if request.method == .post, counter.next() == 10 { cancellation.cancel() }
        }
        #expect(throws: CarnetFailure.self) {
            _ = try h.engine.push(patient: nil, dueOnly: false, token: cancellation.token())
        }
        h.service.onRequest = nil
        let sent = h.service.requests(.post)
        #expect(sent >= 10 && sent <= 10 + 3)
        let waiting = try h.store.outboxItems(patient: nil, dueOnly: false)
        #expect(waiting.count + h.serviceHostIDs.count == 50)
        #expect(waiting.allSatisfy { $0.attempts == 0 })
        _ = try h.sync()
        #expect(h.serviceHostIDs.sorted() == (1...50).map { "v\($0)" }.sorted())
    }
}
