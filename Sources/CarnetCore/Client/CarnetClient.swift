/// An open client: the validated configuration, the local store, and the
/// cancellation of running operations. One per `carnet_client` handle.
///
/// Thread-safe: the store serialises its own access; configuration is immutable.
public final class CarnetClient: Sendable {
    public let configuration: ClientConfiguration
    public let store: LocalStore
    public let cancellation = Cancellation()

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
        configuration.logger.log(.info, "client opened (store schema \(StoreMigrations.latestVersion), libcurl \(CurlRuntime.versionText))")
    }

    deinit {
        configuration.logger.log(.info, "client closed")
        CurlRuntime.release()
    }

    /// Stops the operations running now (they fail with `.cancelled`).
    public func cancel() {
        cancellation.cancel()
        logger.log(.debug, "cancel requested")
    }

    /// Number of clients currently holding libcurl's global state.
    public static var openClientCount: Int { CurlRuntime.userCount }
}
