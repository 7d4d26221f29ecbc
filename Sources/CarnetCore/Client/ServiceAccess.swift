internal import Synchronization

/// How this client reaches the service: its libcurl transports (built on first use, one for the
/// doctor's calls, one for the background sync, one for enrollment) and the professional's
/// identity (the certificate, and the private key unlocked once per session with the host's
/// secret: key derivation is deliberately slow).
///
/// Thread-safe: the lazily built parts are guarded by a mutex; each transport serialises its
/// own requests.
final class ServiceAccess: Sendable {
    let configuration: ClientConfiguration
    let store: LocalStore

    private struct Lazy {
        var fhirTransport: HTTPTransport?
        var backgroundTransport: HTTPTransport?
        var enrollmentTransport: HTTPTransport?
        /// The extra connections of pipelined backlogs (ExchangePipeline's lanes past the first),
        /// foreground and background, built when a backlog first needs them and kept for the
        /// session like the others (their TLS handshake is paid once).
        var laneTransports: [LaneKey: HTTPTransport] = [:]
        /// The decrypted key, kept in memory only, for the session.
        var identity: ClientIdentityMaterial?
    }
    private let lazy = Mutex(Lazy())

    struct LaneKey: Hashable {
        let background: Bool
        let lane: Int
    }

    /// The most connections one client opens to the service at once, per kind of call (the
    /// doctor's, the background sync's): lane 0 and the extra lanes of a backlog.
    static let maxLanes = 4

    init(configuration: ClientConfiguration, store: LocalStore) {
        self.configuration = configuration
        self.store = store
    }

    /// Drops the transports (and their curl handles) and the unlocked key.
    func close() {
        lazy.withLock { $0 = Lazy() }
    }

    /// The FHIR service over mutual TLS, as the sync engine and the flows use it.
    func fhirService() -> TLSFHIRService {
        TLSFHIRService(
            baseURL: configuration.serviceURL, logger: configuration.logger,
            timeZone: configuration.timeZone.identifier,
            transport: { [self] (background: Bool, lane: Int) throws(CarnetFailure) -> HTTPTransport in
                try fhirTransport(background: background, lane: lane)
            },
            identity: { [self] () throws(CarnetFailure) -> ClientIdentityMaterial in try unlockedIdentity() })
    }

    // MARK: transports

    func fhirTransport(background: Bool, lane: Int = 0) throws(CarnetFailure) -> HTTPTransport {
        guard let url = configuration.serviceURL else { throw .invalidArgument(.serviceURLMissing) }
        if lane == 0 {
            return try transport(background ? \.backgroundTransport : \.fhirTransport, host: url.host)
        }
        return try transport(\.laneTransports[LaneKey(background: background, lane: lane)], host: url.host)
    }

    func enrollmentTransport() throws(CarnetFailure) -> HTTPTransport {
        guard let url = configuration.enrollmentURL else { throw .invalidArgument(.serviceURLMissing) }
        return try transport(\.enrollmentTransport, host: url.host)
    }

    private func transport(
        _ slot: WritableKeyPath<Lazy, HTTPTransport?>, host: String
    ) throws(CarnetFailure)
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
    /// (once per session). Refuses a certificate it knows has expired without connecting.
    func unlockedIdentity() throws(CarnetFailure) -> ClientIdentityMaterial {
        if let cached = lazy.withLock({ $0.identity }) {
            try ServiceAccess.checkValidity(cached.details)
            return cached
        }
        guard let stored = try store.loadIdentity() else {
            throw CarnetFailure(.noCertificate, domain: .credentials, message: .noCertificate)
        }
        try ServiceAccess.checkValidity(stored.details)
        guard let secret = configuration.identitySecret else {
            throw CarnetFailure(.identitySecret, domain: .credentials, message: .identitySecretMissing)
        }
        let key = try KeyProtection.open(stored.sealedKey, secret: secret, binding: stored.details.sha256)
        let material = ClientIdentityMaterial(
            certificatePEM: stored.certificatePEM + stored.chainPEM,
            privateKeyPEM: key, details: stored.details)
        lazy.withLock { $0.identity = material }
        configuration.logger.log(.info, "professional identity unlocked")
        return material
    }

    /// Seals and stores a new identity, and makes it the session's.
    func install(
        certificatePEM: [UInt8], chainPEM: [UInt8], key: SecretBytes
    ) throws(CarnetFailure)
        -> CertificateDetails
    {
        guard let details = CertificateDetails(pem: certificatePEM) else {
            throw CarnetFailure(.protocolViolation, domain: .credentials, message: .identityDamaged)
        }
        guard let secret = configuration.identitySecret else {
            throw CarnetFailure(.identitySecret, domain: .credentials, message: .identitySecretMissing)
        }
        let sealed = try KeyProtection.seal(key, secret: secret, binding: details.sha256)
        try store.saveIdentity(certificatePEM: certificatePEM, chainPEM: chainPEM, sealedKey: sealed)
        lazy.withLock { state in
            state.identity = ClientIdentityMaterial(
                certificatePEM: certificatePEM + chainPEM, privateKeyPEM: key,
                details: details)
            // New credentials: connections made with the old ones are dropped.
            state.fhirTransport = nil
            state.backgroundTransport = nil
        }
        configuration.logger.log(.info, "professional identity installed")
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
