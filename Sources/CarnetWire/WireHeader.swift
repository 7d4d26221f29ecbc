/// HTTP header names of the protocol, spelled as the service sends them. HTTP compares them
/// case-insensitively; the library's transport stores them lowercased.
public enum WireHeader {
    /// Echoed on every answer; the library sends one per call so logs of both sides line up.
    public static let requestID = "X-Request-Id"
    /// The `$changes` cursor to send next time.
    public static let cursor = "X-Carnet-Cursor"
    /// Conditional create: `identifier=system|value`.
    public static let ifNoneExist = "If-None-Exist"
    public static let ifMatch = "If-Match"
    public static let eTag = "ETag"
    /// Seconds to wait before retrying (429, 503).
    public static let retryAfter = "Retry-After"
    public static let location = "Location"
    /// Where the resource of a 200 write is (an update, a conditional create that matched):
    /// carnet-sandbox sends it; FHIR does not require it, so a client must cope without.
    public static let contentLocation = "Content-Location"
    /// `return=minimal`: the service answers a write without its resource (RFC 7240, FHIR §3.1.0.8).
    public static let prefer = "Prefer"
    public static let returnMinimal = "return=minimal"
    /// Creation key of `POST Patient` (IETF httpapi idempotency-key draft): the same key from the
    /// same professional replays the first answer (200) instead of creating a second carnet, and
    /// sends no second email.
    public static let idempotencyKey = "Idempotency-Key"
    /// The client's civil time zone (a `CivilTimeZone` identifier: `Europe/Paris`, `Indian/Reunion`,
    /// `+04:00`): the service dates "today" in it for this request — the "in the future" checks and
    /// the forecast's default assessment date — so a practice overseas and the service agree on the
    /// day (docs/recommendations.md, "One civil date").
    public static let timeZone = "X-Carnet-Time-Zone"
    /// The kind of an email the sandbox writes to its outbox (e.g. `share-code`).
    public static let emailKind = "X-Carnet-Kind"
}

/// Media types of the protocol.
public enum WireMediaType {
    public static let fhirJSON = "application/fhir+json"
    public static let pemCertificateChain = "application/pem-certificate-chain"
    public static let pkixCRL = "application/pkix-crl"
}
