public import CarnetJSON
internal import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// Pushes and pulls on a thread of its own, every `interval`, and tells the
/// host what happened through its event callback (on that thread).
///
/// - Pushes respect each item's backoff (`dueOnly`), unlike a foreground
///   `carnet_sync`, which tries everything now.
/// - A failure is reported once when it starts (not at every interval), and
///   again only if it changes.
/// - `stop()` ends the thread promptly: the wait is sliced in 50 ms steps and
///   the request in flight is aborted through its cancellation token.
public final class BackgroundSync: @unchecked Sendable {
    public enum EventKind: UInt32, Sendable {
        case pushed = 1, changes = 2, failure = 3, accessRevoked = 4, certificateExpiring = 5
    }
    public typealias Handler = @Sendable (EventKind, JSONValue) -> Void

    let client: CarnetClient
    let intervalMilliseconds: UInt32
    let handler: Handler
    private let stopping = Atomic<Bool>(false)
    private let cancellation = Cancellation()
    private let thread = Mutex<pthread_t?>(nil)
    private let threadID = Atomic<UInt>(0)

    // Touched only by the background thread.
    private var lastFailure: FailureKind?
    private var lastProposalCount = -1
    private var lastExpiryWarning: Int64 = 0

    public static let minimumInterval: UInt32 = 100
    public static let maximumInterval: UInt32 = 86_400_000

    init(client: CarnetClient, intervalMilliseconds: UInt32, handler: @escaping Handler) {
        self.client = client
        self.intervalMilliseconds = intervalMilliseconds
        self.handler = handler
    }

    func start() throws(CarnetFailure) {
        var created = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(
            &created, nil,
            { argument in
                guard let argument else { return nil }
                let sync = Unmanaged<BackgroundSync>.fromOpaque(argument).takeRetainedValue()
                sync.run()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<BackgroundSync>.fromOpaque(context).release()
            throw .internal("pthread_create failed")
        }
        thread.withLock { $0 = created }
    }

    /// Ends the thread and waits for it, unless called from the thread itself
    /// (from an event callback), in which case it only asks it to end.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        cancellation.cancel()
        let running = thread.withLock { state -> pthread_t? in
            defer { state = nil }
            return state
        }
        guard let running else { return }
        if UInt(pthread_self()) == threadID.load(ordering: .sequentiallyConsistent) {
            pthread_detach(running)
        } else {
            pthread_join(running, nil)
        }
    }

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .sequentiallyConsistent)
        client.logger.log(.info, "background sync started (every \(intervalMilliseconds) ms)")
        while !stopping.load(ordering: .sequentiallyConsistent) {
            cycle()
            var waited: UInt32 = 0
            while waited < intervalMilliseconds, !stopping.load(ordering: .sequentiallyConsistent) {
                let slice = min(50, intervalMilliseconds - waited)
                usleep(slice * 1_000)
                waited += slice
            }
        }
        client.logger.log(.info, "background sync stopped")
    }

    private func emit(_ kind: EventKind, _ detail: JSONValue) {
        guard !stopping.load(ordering: .sequentiallyConsistent) else { return }
        handler(kind, detail)
    }

    private func cycle() {
        let token = cancellation.token(alsoCancelledBy: client.cancellation)
        checkCertificate()
        do throws(CarnetFailure) {
            let round = try client.syncEngine.round(patient: nil, dueOnly: true, token: token)
            if round.push.pushed > 0 { emit(.pushed, ["pushed": .number(String(round.push.pushed))]) }
            for (hostID, failure) in round.push.blocked {
                if failure.message == .accessRevoked {
                    emit(
                        .accessRevoked,
                        [
                            "host_vaccination_id": .string(hostID), "status": .string(failure.kind.cName),
                            "message": .string(failure.message.text(client.configuration.locale)),
                        ])
                } else {
                    report(failure)
                }
            }
            if let stopped = round.stoppedBy { throw stopped }
            let count = round.proposals.count
            if count > 0, count != lastProposalCount {
                emit(
                    .changes,
                    [
                        "added": .number(String(round.proposals.added.count)),
                        "removed": .number(String(round.proposals.removed.count)),
                        "changed": .number(String(round.proposals.changed.count)),
                    ])
            }
            lastProposalCount = count
            lastFailure = nil
        } catch {
            if error.kind == .cancelled, stopping.load(ordering: .sequentiallyConsistent) { return }
            report(error)
        }
    }

    private func report(_ failure: CarnetFailure) {
        guard failure.kind != lastFailure else { return }
        lastFailure = failure.kind
        emit(
            .failure,
            [
                "status": .string(failure.kind.cName),
                "message": .string(failure.message.text(client.configuration.locale)),
            ])
    }

    /// "Certificate expiring within 30 days", at most once a day.
    private func checkCertificate() {
        guard let details = try? client.access.installedCertificate() else { return }
        let now = Clock.nowSeconds()
        let days = details.daysLeft(at: now)
        guard days <= 30, now - lastExpiryWarning >= 86_400 else { return }
        lastExpiryWarning = now
        emit(
            .certificateExpiring,
            [
                "days_left": .number(String(days)), "not_after": .string(Timestamps.instant(details.notAfter)),
                // How: renewing needs no withdrawal code while the certificate is valid.
                "action": "carnet_certificate_renew",
                "message": .string(UserMessage.certificateExpiringSoon(daysLeft: Int(clamping: days)).text(client.configuration.locale)),
            ])
    }
}

extension CarnetClient {
    /// Starts (or restarts with new settings) the background sync.
    public func startBackgroundSync(
        intervalMilliseconds: UInt32, handler: @escaping BackgroundSync.Handler
    )
        throws(CarnetFailure)
    {
        guard (BackgroundSync.minimumInterval...BackgroundSync.maximumInterval).contains(intervalMilliseconds) else {
            throw .invalidArgument(.invalidField("interval_ms", reason: .outOfRange))
        }
        guard configuration.serviceURL != nil else { throw .invalidArgument(.serviceURLMissing) }
        stopBackgroundSync()
        let sync = BackgroundSync(client: self, intervalMilliseconds: intervalMilliseconds, handler: handler)
        try sync.start()
        setBackgroundSync(sync)
    }

    /// Stops the background sync, if running, and waits for its thread.
    public func stopBackgroundSync() {
        takeBackgroundSync()?.stop()
    }
}
