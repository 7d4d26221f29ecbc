internal import CarnetJSON
internal import CarnetWire
internal import Synchronization

/// The sync engine of one client: the vaccination store, the FHIR service, and the rules of
/// docs/sync.md between them. It knows nothing else of the client (no configuration, no
/// transport, no credentials), so its unit tests run it against an in-memory service.
///
/// Thread-safe: one push at a time per engine (foreground calls and the background thread), so
/// an outbox item is never in two requests at once; the store serialises its own access.
final class SyncEngine: Sendable {
    let store: VaccinationStore
    let service: any FHIRService
    /// The identifier system of the host's vaccination ids (the practice's, or this store's).
    let scope: HostIDScope
    let logger: Logger
    /// The language of the messages the engine writes into documents and the outbox.
    let locale: UserMessage.Locale
    private let pushLock = Mutex<Void>(())
    /// Whether the service offers `batch` (its CapabilityStatement), once known.
    private let batchOffered = Mutex<Bool?>(nil)

    init(
        store: VaccinationStore, service: any FHIRService, scope: HostIDScope, logger: Logger,
        locale: UserMessage.Locale
    ) {
        self.store = store
        self.service = service
        self.scope = scope
        self.logger = logger
        self.locale = locale
    }

    func connection(_ token: Cancellation.Token) -> ServiceConnection {
        ServiceConnection(service: service, logger: logger, token: token)
    }

    /// Pushes the outbox (one patient's, or everything), oldest first. `dueOnly` leaves the items
    /// still backing off (the background sync); the doctor's own calls push everything now.
    /// Throws only when the store fails; the service's failures are in the report.
    func push(
        patient: HostPatientID?, dueOnly: Bool, token: Cancellation.Token
    ) throws(CarnetFailure)
        -> Pusher.Report
    {
        let connection = connection(token)
        var pusher = Pusher(store: store, connection: connection, scope: scope, logger: logger, locale: locale)
        pusher.batchingOffered = { [self] () throws(CarnetFailure) -> Bool in try batching(connection) }
        return try pushLock.withLock { (_: inout sending Void) throws(CarnetFailure) -> Pusher.Report in
            try pusher.push(patient: patient, dueOnly: dueOnly)
        }
    }

    /// Reads the CapabilityStatement once per engine (the first time two items or more wait).
    /// Unreachable now (network, timeout, 5xx, 429): thrown, the round stops as at any request's
    /// failure, and it is asked again next time (a cut or malformed answer too); a service without
    /// `/metadata` (4xx), whose answer is no CapabilityStatement, or without `batch`: single
    /// requests for good.
    private func batching(_ connection: ServiceConnection) throws(CarnetFailure) -> Bool {
        if let known = batchOffered.withLock({ $0 }) { return known }
        let offered: Bool
        do throws(CarnetFailure) {
            let answer = try connection.send(.get, WirePath.metadata, expect: [200])
            offered = BatchDelivery.offered(by: try connection.resource(answer, type: "CapabilityStatement"))
        } catch {
            let permanent =
                (error.domain == .http && (400..<500).contains(error.code) && error.code != 429)
                || error.message == .protocolViolation(.wrongResourceType)
            guard permanent else { throw error }
            offered = false
        }
        batchOffered.withLock { $0 = offered }
        logger.log(.info, offered ? "the service takes batches" : "the service takes single requests only")
        return offered
    }

    func pull(token: Cancellation.Token) throws(CarnetFailure) -> Puller.Report {
        try Puller(store: store, connection: connection(token), scope: scope, logger: logger).pull()
    }

    /// What one round did: `carnet_sync` and the background sync present it each their own way.
    struct RoundReport {
        var push: Pusher.Report
        var pullFailure: CarnetFailure?
        var proposals: Proposals

        /// Why the round did not reach the service completely, if it did not.
        var stoppedBy: CarnetFailure? { push.stoppedBy ?? pullFailure }
    }

    /// One sync round: push, then (if the push was not stopped) pull the changes feed, then read
    /// the proposals left for the host. Throws only when the store fails.
    func round(
        patient: HostPatientID?, dueOnly: Bool, token: Cancellation.Token
    ) throws(CarnetFailure)
        -> RoundReport
    {
        let push = try self.push(patient: patient, dueOnly: dueOnly, token: token)
        var pullFailure: CarnetFailure?
        if push.stoppedBy == nil {
            do throws(CarnetFailure) {
                _ = try pull(token: token)
            } catch {
                if error.kind == .storage { throw error }
                pullFailure = error
            }
        }
        return RoundReport(push: push, pullFailure: pullFailure, proposals: try store.proposals(patient: patient))
    }

    /// Pushes the patient's outbox now, after the host recorded a change of `hostID`, and
    /// decides what the host's call returns (the one place this is decided): delivered, pending
    /// with the reason, or refused with the reason. Never throws: the change is already
    /// committed, so whatever fails now leaves it pending — a storage failure included
    /// (CARNET_E_STORAGE from an add or remove means "not recorded").
    func deliver(patient: HostPatientID, hostID: String, token: Cancellation.Token) -> ChangeOutcome {
        deliver(patient: patient, hostIDs: [hostID], token: token)[0]
    }

    /// The same for many changes of one patient recorded together: one push (in batches when the
    /// service takes them), then each change's own outcome, in the order given.
    func deliver(patient: HostPatientID, hostIDs: [String], token: Cancellation.Token) -> [ChangeOutcome] {
        var stoppedBy: CarnetFailure?
        var refusals: [String: CarnetFailure] = [:]
        do throws(CarnetFailure) {
            let report = try push(patient: patient, dueOnly: false, token: token)
            for (hostID, failure) in report.blocked where refusals[hostID] == nil { refusals[hostID] = failure }
            stoppedBy = report.stoppedBy
        } catch {
            stoppedBy = error
        }
        return hostIDs.map { hostID in
            outcome(patient: patient, hostID: hostID, refusal: refusals[hostID], stoppedBy: stoppedBy)
        }
    }

    private func outcome(
        patient: HostPatientID, hostID: String, refusal: CarnetFailure?, stoppedBy: CarnetFailure?
    ) -> ChangeOutcome {
        var refusal = refusal
        let row: VaccinationRow?
        do throws(CarnetFailure) {
            row = try store.vaccination(patientID: patient.value, hostID: hostID)
            if refusal == nil, row != nil {
                // Blocked by an earlier round (the same id recorded again): still refused.
                refusal = try store.blockingFailure(patientID: patient.value, hostID: hostID)
            }
        } catch {
            return ChangeOutcome.pending(
                hostID: hostID, state: .pending, row: nil, reason: stoppedBy ?? error,
                locale: locale)
        }
        guard let row else { return .delivered(ChangeOutcome.document(hostID: hostID, stateName: "removed")) }
        if let refusal {
            return .refused(
                ChangeOutcome.document(hostID: hostID, row: row, reason: refusal, locale: locale),
                reason: refusal)
        }
        if row.state.isDelivered { return .delivered(ChangeOutcome.document(hostID: hostID, row: row)) }
        let reason = stoppedBy ?? CarnetFailure(.network, domain: .network, message: .networkUnreachable)
        return ChangeOutcome.pending(hostID: hostID, state: row.state, row: row, reason: reason, locale: locale)
    }
}
