internal import CarnetCatalogue

/// A client's settings, validated. Built by the C boundary from
/// `carnet_options`; every field here is already known to be well-formed.
public struct ClientConfiguration: Sendable {
    public var serviceURL: ServiceURL?
    public var enrollmentURL: ServiceURL?
    public var storeDirectory: String
    public var accountEmail: String?
    public var caBundlePath: String?
    public var crlPath: String?
    public var pinnedPublicKey: String?
    public var identitySecret: String?
    public var connectTimeoutMilliseconds: UInt32
    public var requestTimeoutMilliseconds: UInt32
    public var locale: UserMessage.Locale
    public var logger: Logger
    /// The host's installation: the EHR database every workstation of the practice shares
    /// (docs/integration.md, "Several workstations"). It scopes the host's vaccination ids on the
    /// wire, so any workstation of the practice recognises, corrects and removes the practice's
    /// vaccinations. nil: the store's own install id (one workstation, as before).
    public var practiceID: String?
    /// The zone of "today" and of every age (docs/recommendations.md, "One civil date"):
    /// Europe/Paris unless the host names another (a practice in La Réunion: Indian/Reunion).
    var timeZone: CivilTimeZone = .paris

    /// Today in the configured time zone (docs/recommendations.md, "One civil date"): every
    /// "in the future" check, age and expiry of the library uses it.
    func today() -> CivilDate { timeZone.date(atUnixSeconds: Clock.nowSeconds()) }

    public static let defaultConnectTimeoutMilliseconds: UInt32 = 10_000
    public static let defaultRequestTimeoutMilliseconds: UInt32 = 30_000
    /// One day: a longer "timeout" is a mistake, and would hide hangs.
    public static let maxTimeoutMilliseconds: UInt32 = 86_400_000

    public init(
        serviceURL: String?, enrollmentURL: String? = nil, storeDirectory: String, accountEmail: String? = nil,
        caBundlePath: String? = nil, crlPath: String? = nil, pinnedPublicKey: String? = nil,
        identitySecret: String? = nil, connectTimeoutMilliseconds: UInt32 = 0, requestTimeoutMilliseconds: UInt32 = 0,
        locale: UserMessage.Locale = .french, logger: Logger = .disabled, practiceID: String? = nil,
        timeZone: String? = nil
    ) throws(CarnetFailure) {
        if let timeZone {
            guard let zone = CivilTimeZone(timeZone) else {
                throw .invalidArgument(.invalidField("time_zone", reason: .unknownValue))
            }
            self.timeZone = zone
        }
        if let practiceID {
            guard HostIDScope.isValidPracticeID(practiceID) else {
                throw .invalidArgument(.invalidField("practice_id", reason: .unknownValue))
            }
        }
        self.practiceID = practiceID
        if let serviceURL {
            guard let url = ServiceURL(serviceURL) else {
                throw .invalidArgument(.invalidField("service_url", reason: .notHTTPSURL))
            }
            self.serviceURL = url
        } else {
            self.serviceURL = nil
        }
        if let enrollmentURL {
            guard let url = ServiceURL(enrollmentURL) else {
                throw .invalidArgument(.invalidField("enrollment_url", reason: .notHTTPSURL))
            }
            self.enrollmentURL = url
        } else {
            self.enrollmentURL = self.serviceURL.map(\.origin)
        }
        guard !storeDirectory.isEmpty else { throw .invalidArgument(.emptyArgument("store_directory")) }
        guard connectTimeoutMilliseconds <= Self.maxTimeoutMilliseconds else {
            throw .invalidArgument(.invalidField("connect_timeout_ms", reason: .outOfRange))
        }
        guard requestTimeoutMilliseconds <= Self.maxTimeoutMilliseconds else {
            throw .invalidArgument(.invalidField("request_timeout_ms", reason: .outOfRange))
        }
        if let pinnedPublicKey, !pinnedPublicKey.hasPrefix("sha256//") {
            throw .invalidArgument(.invalidField("pinned_public_key", reason: .unknownValue))
        }
        self.storeDirectory = storeDirectory
        self.accountEmail = accountEmail
        self.caBundlePath = caBundlePath
        self.crlPath = crlPath
        self.pinnedPublicKey = pinnedPublicKey
        self.identitySecret = identitySecret
        self.connectTimeoutMilliseconds =
            connectTimeoutMilliseconds == 0 ? Self.defaultConnectTimeoutMilliseconds : connectTimeoutMilliseconds
        self.requestTimeoutMilliseconds =
            requestTimeoutMilliseconds == 0 ? Self.defaultRequestTimeoutMilliseconds : requestTimeoutMilliseconds
        self.locale = locale
        self.logger = logger
    }
}

/// The service's base URL: https only, with a host, no credentials, no query
/// or fragment. Kept as text for libcurl, with the host for the TLS policy.
public struct ServiceURL: Sendable, Equatable {
    public let text: String
    public let host: String

    public init?(_ text: String) {
        let prefix = "https://"
        guard text.count <= 2048, text.lowercased().hasPrefix(prefix) else { return nil }
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0.value > 0x7E }),
            !text.contains("?"), !text.contains("#")
        else { return nil }
        let rest = text.dropFirst(prefix.count)
        let authority = rest.prefix { $0 != "/" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || (after.hasPrefix(":") && ServiceURL.isPort(after.dropFirst())) else { return nil }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            host = parts[0]
            if parts.count == 2, !ServiceURL.isPort(parts[1]) { return nil }
        }
        guard !host.isEmpty else { return nil }
        self.text = text.hasSuffix("/") ? String(text.dropLast()) : text
        self.host = String(host)
    }

    /// The scheme, host and port only: "https://cve.example.fr:8443".
    public var origin: ServiceURL {
        let rest = text.dropFirst("https://".count)
        let authority = rest.prefix { $0 != "/" }
        return ServiceURL(uncheckedText: "https://" + authority, host: host)
    }

    private init(uncheckedText: String, host: String) {
        self.text = uncheckedText
        self.host = host
    }

    static func isPort(_ s: Substring) -> Bool {
        guard !s.isEmpty, s.count <= 5, s.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(s) else {
            return false
        }
        return n > 0 && n <= 65_535
    }
}
