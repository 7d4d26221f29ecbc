internal import Synchronization

/// An open client: the validated configuration, the local store, the network
/// transports and the professional's unlocked identity, and the cancellation
/// of running operations. One per `carnet_client` handle.
///
/// Thread-safe: the store and each transport serialise their own access; the
/// lazily built parts are guarded by a mutex; configuration is immutable.
public final class CarnetClient: Sendable {
    public let configuration: ClientConfiguration
    public let store: LocalStore
    public let cancellation = Cancellation()

    private struct Lazy {
        var fhirTransport: HTTPTransport?
        var backgroundTransport: HTTPTransport?
        var enrollmentTransport: HTTPTransport?
        /// The decrypted key, kept in memory only, for the session.
        var identity: ClientIdentityMaterial?
        var background: BackgroundSync?
    }
    private let lazy = Mutex(Lazy())
    /// One push round at a time per client (foreground calls and the
    /// background thread), so an outbox item is never sent twice at once.
    private let pushLock = Mutex<Void>(())

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
        // Transports (and their curl handles) go before the global cleanup.
        lazy.withLock { $0 = Lazy() }
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

    func setBackgroundSync(_ sync: BackgroundSync) {
        lazy.withLock { $0.background = sync }
    }

    func takeBackgroundSync() -> BackgroundSync? {
        lazy.withLock { state in
            defer { state.background = nil }
            return state.background
        }
    }

    func serializedPush<T>(_ body: () throws(CarnetFailure) -> T) throws(CarnetFailure) -> T {
        try pushLock.withLock { (_: inout sending Void) throws(CarnetFailure) -> T in try body() }
    }

    // MARK: transports

    func fhirTransport(background: Bool = false) throws(CarnetFailure) -> HTTPTransport {
        guard let url = configuration.serviceURL else { throw .invalidArgument(.serviceURLMissing) }
        return try transport(background ? \.backgroundTransport : \.fhirTransport, host: url.host)
    }

    func enrollmentTransport() throws(CarnetFailure) -> HTTPTransport {
        guard let url = configuration.enrollmentURL else { throw .invalidArgument(.serviceURLMissing) }
        return try transport(\.enrollmentTransport, host: url.host)
    }

    private func transport(_ slot: WritableKeyPath<Lazy, HTTPTransport?>, host: String) throws(CarnetFailure)
        -> HTTPTransport
    {
        let settings = HTTPTransport.Settings(
            host: host, caBundlePath: configuration.caBundlePath, crlPath: configuration.crlPath,
            pinnedPublicKey: configuration.pinnedPublicKey,
            connectTimeoutMilliseconds: configuration.connectTimeoutMilliseconds,
            requestTimeoutMilliseconds: configuration.requestTimeoutMilliseconds)
        let result: Result<HTTPTransport, CarnetFailure> = lazy.withLock { state in
            if let existing = state[keyPath: slot] { return .success(existing) }
            do throws(CarnetFailure) {
                let made = try HTTPTransport(settings: settings)
                state[keyPath: slot] = made
                return .success(made)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: identity

    /// The installed certificate and its key, unlocked with the host's secret
    /// (once per session: key derivation is deliberately slow). Refuses a
    /// certificate it knows has expired without connecting.
    func unlockedIdentity() throws(CarnetFailure) -> ClientIdentityMaterial {
        if let cached = lazy.withLock({ $0.identity }) {
            try CarnetClient.checkValidity(cached.details)
            return cached
        }
        guard let stored = try store.loadIdentity() else {
            throw CarnetFailure(.noCertificate, domain: .credentials, message: .noCertificate)
        }
        try CarnetClient.checkValidity(stored.details)
        guard let secret = configuration.identitySecret else {
            throw CarnetFailure(.identitySecret, domain: .credentials, message: .identitySecretMissing)
        }
        let key = try KeyProtection.open(stored.sealedKey, secret: secret, binding: stored.details.sha256)
        let material = ClientIdentityMaterial(certificatePEM: stored.certificatePEM + stored.chainPEM,
                                              privateKeyPEM: key, details: stored.details)
        lazy.withLock { $0.identity = material }
        logger.log(.info, "professional identity unlocked")
        return material
    }

    /// Seals and stores a new identity, and makes it the session's.
    func install(certificatePEM: [UInt8], chainPEM: [UInt8], key: SecretBytes) throws(CarnetFailure) -> CertificateDetails {
        guard let details = CertificateDetails(pem: certificatePEM) else {
            throw CarnetFailure(.protocolViolation, domain: .credentials, message: .identityDamaged)
        }
        guard let secret = configuration.identitySecret else {
            throw CarnetFailure(.identitySecret, domain: .credentials, message: .identitySecretMissing)
        }
        let sealed = try KeyProtection.seal(key, secret: secret, binding: details.sha256)
        try store.saveIdentity(certificatePEM: certificatePEM, chainPEM: chainPEM, sealedKey: sealed)
        lazy.withLock { state in
            state.identity = ClientIdentityMaterial(certificatePEM: certificatePEM + chainPEM, privateKeyPEM: key,
                                                    details: details)
            // New credentials: connections made with the old ones are dropped.
            state.fhirTransport = nil
            state.backgroundTransport = nil
        }
        logger.log(.info, "professional identity installed")
        return details
    }

    /// The installed certificate's details, without unlocking the key.
    func installedCertificate() throws(CarnetFailure) -> CertificateDetails {
        guard let stored = try store.loadIdentity() else {
            throw CarnetFailure(.noCertificate, domain: .credentials, message: .noCertificate)
        }
        return stored.details
    }

    static func checkValidity(_ details: CertificateDetails) throws(CarnetFailure) {
        let now = Clock.nowSeconds()
        if details.isExpired(at: now) {
            throw CarnetFailure(.certificateExpired, domain: .credentials, message: .certificateExpired)
        }
        if details.isNotYetValid(at: now) {
            throw CarnetFailure(.credentials, domain: .credentials, message: .certificateNotYetValid)
        }
    }
}
