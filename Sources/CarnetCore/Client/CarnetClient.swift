internal import CarnetCatalogue
internal import Synchronization

/// An open client, one per `carnet_client` handle: the place where the pieces are wired
/// together — the validated configuration, the local store (links, identity), the vaccination
/// store and the sync engine on it, the way to the service (`ServiceAccess`), the background
/// sync, and the cancellation of running operations. The flows (Flows/) are its methods; the
/// engine and the stores never see the client.
///
/// Thread-safe: every part serialises its own access; configuration is immutable.
public final class CarnetClient: Sendable {
    public let configuration: ClientConfiguration
    public let store: LocalStore
    let vaccinations: VaccinationStore
    let access: ServiceAccess
    let syncEngine: SyncEngine
    /// The vaccine catalogue in use: the snapshot built into the library, or a newer NUVA release
    /// imported into this store (carnet_catalogue_import).
    let catalogue: ActiveCatalogue
    /// Search entries of the catalogue in use, serialised once each.
    let searchEntries = VaccineEntryCache()
    public let cancellation = Cancellation()
    private let background = Mutex<BackgroundSync?>(nil)

    public var logger: Logger { configuration.logger }

    public init(configuration: ClientConfiguration) throws(CarnetFailure) {
        try CurlRuntime.acquire()
        do {
            store = try LocalStore(directory: configuration.storeDirectory)
        } catch {
            CurlRuntime.release()
            configuration.logger.log(.error, "store open failed: sqlite/errno code \(error.code)")
            throw error
        }
        self.configuration = configuration
        vaccinations = VaccinationStore(store)
        access = ServiceAccess(configuration: configuration, store: store)
        let installID: String
        do {
            installID = try vaccinations.installID()
        } catch {
            CurlRuntime.release()
            throw error
        }
        catalogue = ActiveCatalogue()
        if let stored = try? store.storedCatalogue() {
            do throws(CatalogueError) {
                try catalogue.restore(serialized: stored, source: "imported release")
            } catch {
                // Unreadable (a damaged store, or written by a newer library): the built-in one serves.
                configuration.logger.log(.warning, "stored catalogue unreadable; using the built-in one")
            }
        }
        syncEngine = SyncEngine(
            store: vaccinations, service: access.fhirService(),
            scope: HostIDScope(practiceID: configuration.practiceID, installID: installID),
            logger: configuration.logger, locale: configuration.locale)
        configuration.logger.log(
            .info, "client opened (store schema \(StoreMigrations.latestVersion), libcurl \(CurlRuntime.versionText))")
    }

    deinit {
        // Transports (and their curl handles) go before the global cleanup.
        access.close()
        configuration.logger.log(.info, "client closed")
        CurlRuntime.release()
    }

    /// Stops the operations running now (they fail with `.cancelled`).
    public func cancel() {
        cancellation.cancel()
        logger.log(.debug, "cancel requested")
    }

    func setBackgroundSync(_ sync: BackgroundSync) {
        background.withLock { $0 = sync }
    }

    func takeBackgroundSync() -> BackgroundSync? {
        background.withLock { state in
            defer { state = nil }
            return state
        }
    }
}

extension ServiceConnection {
    /// A connection for one of the client's flows (records, recommendations).
    init(client: CarnetClient, token: Cancellation.Token) {
        self.init(service: client.syncEngine.service, logger: client.logger, token: token)
    }
}
