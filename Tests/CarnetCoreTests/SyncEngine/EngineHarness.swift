import CarnetJSON
@testable import CarnetCore
import Synchronization

/// A test's clock: seconds since the epoch, moved by hand.
final class TestClock: Sendable {
    private let seconds = Atomic<Int64>(1_780_000_000)
    var now: Int64 { seconds.load(ordering: .sequentiallyConsistent) }
    func advance(_ delta: Int64) { seconds.wrappingAdd(delta, ordering: .sequentiallyConsistent) }
}

/// One workstation's sync engine on a real SQLite store in a temporary directory, against an
/// in-memory service, with a patient linked to a carnet. `restarted()` reopens the same store
/// (a host restart), keeping the service and the clock.
struct EngineHarness {
    static let carnetText = "11111111-2222-3333-4444-555555555555"
    static let otherCarnetText = "99999999-8888-7777-6666-555555555555"

    let directory: String
    let service: InMemoryFHIRService
    let clock: TestClock
    let local: LocalStore
    let store: VaccinationStore
    let engine: SyncEngine
    let patient: HostPatientID
    let carnet: RecordID
    let otherPatient: HostPatientID
    let otherCarnet: RecordID
    let practiceID: String?

    init(
        directory: String = temporaryDirectory() + "/store", service: InMemoryFHIRService = InMemoryFHIRService(),
        clock: TestClock = TestClock(), practiceID: String? = nil
    ) throws {
        self.directory = directory
        self.service = service
        self.clock = clock
        local = try LocalStore(directory: directory)
        store = VaccinationStore(local, now: { clock.now })
        engine = SyncEngine(
            store: store, service: service,
            scope: HostIDScope(practiceID: practiceID, installID: try store.installID()),
            logger: .disabled, locale: .french)
        self.practiceID = practiceID
        patient = try HostPatientID("patient-1")
        otherPatient = try HostPatientID("patient-2")
        guard let carnet = RecordID(EngineHarness.carnetText), let other = RecordID(EngineHarness.otherCarnetText)
        else { throw CarnetFailure.internal("test ids") }
        self.carnet = carnet
        otherCarnet = other
        try local.link(patient: patient, to: carnet)
        try local.link(patient: otherPatient, to: other)
    }

    func restarted() throws -> EngineHarness {
        try EngineHarness(directory: directory, service: service, clock: clock, practiceID: practiceID)
    }

    /// Another workstation of the same practice: its own store, the same service and practice id.
    func secondWorkstation() throws -> EngineHarness {
        try EngineHarness(service: service, clock: clock, practiceID: practiceID)
    }

    var token: Cancellation.Token { Cancellation().token() }

    static func immunization(
        _ hostID: String, date: String = "2026-11-02", code: String = "3400936570183"
    )
        -> JSONValue
    {
        [
            "resourceType": "Immunization", "status": "completed",
            "identifier": [["value": .string(hostID)]],
            "vaccineCode": [
                "coding": [["system": "https://smt.esante.gouv.fr/terminologie-bdpm", "code": .string(code)]]
            ],
            "occurrenceDateTime": .string(date), "lotNumber": "L1",
        ]
    }

    /// What `carnet_vaccination_add` does below the C boundary: record durably, then deliver.
    @discardableResult
    func add(_ hostID: String, date: String = "2026-11-02", patient: HostPatientID? = nil) throws -> ChangeOutcome {
        let who = patient ?? self.patient
        let target = who == otherPatient ? otherCarnet : carnet
        _ = try store.recordAdd(
            patient: who, carnet: target, hostID: hostID,
            resource: EngineHarness.immunization(hostID, date: date))
        return engine.deliver(patient: who, hostID: hostID, token: token)
    }

    /// What `carnet_vaccination_update` does below the C boundary.
    @discardableResult
    func update(_ hostID: String, date: String = "2026-11-02", lot: String) throws -> ChangeOutcome {
        var resource = EngineHarness.immunization(hostID, date: date)
        resource["lotNumber"] = .string(lot)
        _ = try store.recordUpdate(patient: patient, carnet: carnet, hostID: hostID, resource: resource)
        return engine.deliver(patient: patient, hostID: hostID, token: token)
    }

    /// What `carnet_vaccination_remove` does below the C boundary.
    @discardableResult
    func remove(_ hostID: String) throws -> ChangeOutcome {
        let unknownOnCarnet = practiceID == nil ? nil : carnet
        switch try store.recordRemove(patient: patient, hostID: hostID, unknownOnCarnet: unknownOnCarnet) {
        case .cancelledBeforeSending, .confirmedRemoteDeletion:
            return .delivered(ChangeOutcome.document(hostID: hostID, stateName: "removed"))
        case .queued:
            return engine.deliver(patient: patient, hostID: hostID, token: token)
        }
    }

    func sync(dueOnly: Bool = false) throws -> SyncEngine.RoundReport {
        try engine.round(patient: nil, dueOnly: dueOnly, token: token)
    }

    func state(_ hostID: String) throws -> VaccinationState? {
        try store.vaccination(patientID: patient.value, hostID: hostID)?.state
    }

    var outboxCount: Int {
        get throws { try store.outboxItems(patient: nil, dueOnly: false).count }
    }

    /// The lots on the service, in creation order.
    var serviceLots: [String] { service.immunizations.compactMap { $0["lotNumber"]?.stringValue } }

    /// The host ids on the service, in creation order (duplicates kept).
    var serviceHostIDs: [String] {
        service.immunizations.compactMap { $0["identifier"]?[0]?["value"]?.stringValue }
    }
}

extension ChangeOutcome {
    var isDelivered: Bool { if case .delivered = self { return true } else { return false } }
    var pendingReason: CarnetFailure? { if case .pending(_, let reason) = self { return reason } else { return nil } }
    var refusal: CarnetFailure? { if case .refused(_, let reason) = self { return reason } else { return nil } }
    var state: String? { document["state"]?.stringValue }
}
