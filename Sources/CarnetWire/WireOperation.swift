/// The named operations of the protocol (docs/protocol.md), for what FHIR has no interaction for.
///
/// Names read like the C functions they serve: `carnet_record_claim` → `$record-claim`,
/// `carnet_share_code_lookup` → `$share-code-lookup`, `carnet_share_code_resend` →
/// `$share-code-resend`. A record is a Patient on the wire; its id is the Patient id.
public enum WireOperation: String, CaseIterable, Sendable {
    /// `GET $changes`: every change in every record the professional can see, in commit order.
    case changes = "changes"
    /// `GET ValueSet/$expand?filter=`: vaccine search.
    case expand = "expand"
    /// `GET|POST Patient/{id}/$immds-forecast`: recommendations (HL7 ImmDS shape).
    case immdsForecast = "immds-forecast"
    /// `POST $share-code-lookup`: the records a share code opens, by pseudonym only.
    case shareCodeLookup = "share-code-lookup"
    /// `POST $record-claim`: share code + candidate + holder's birth date → access to a record.
    case recordClaim = "record-claim"
    /// `POST Patient/{id}/$share-code-resend`: email the share code to the patient again.
    case shareCodeResend = "share-code-resend"

    /// The operation as it appears in a URL path: `$name`.
    public var pathSegment: String { "$" + rawValue }
}

/// Paths of the protocol, relative to the FHIR base (`/fhir`) unless they start with `/`.
public enum WirePath {
    /// Where the FHIR API lives on the service.
    public static let fhirBase = "/fhir"
    public static let metadata = "metadata"
    public static let changes = WireOperation.changes.pathSegment
    public static let shareCodeLookup = WireOperation.shareCodeLookup.pathSegment
    public static let recordClaim = WireOperation.recordClaim.pathSegment
    public static let valueSetExpand = "ValueSet/" + WireOperation.expand.pathSegment

    public static func patient(_ id: String) -> String { "Patient/" + id }
    public static func immdsForecast(record id: String) -> String {
        patient(id) + "/" + WireOperation.immdsForecast.pathSegment
    }
    public static func shareCodeResend(record id: String) -> String {
        patient(id) + "/" + WireOperation.shareCodeResend.pathSegment
    }

    // Outside the FHIR base: account token, EST enrollment (RFC 7030 names), revocation list.
    public static let token = "/oauth/token"
    public static let estCACertificates = "/.well-known/est/cacerts"
    public static let estSimpleEnroll = "/.well-known/est/simpleenroll"
    public static let estSimpleReenroll = "/.well-known/est/simplereenroll"
    public static let revocationList = "/crl"
}

/// Query parameters the service understands (anything else on a search is refused).
public enum WireQuery {
    public static let count = "_count"
    public static let cursor = "_cursor"
    public static let since = "_since"
    /// Keyset paging of searches: the last id of the previous page.
    public static let after = "_after"
    /// Keyset paging of history: the last sequence number of the previous page.
    public static let beforeSequence = "_before_seq"
    public static let patient = "patient"
    /// `Immunization?patient=...&identifier=system|value`: one vaccination by its host id.
    public static let identifier = "identifier"
    /// `ValueSet/$expand`: the text searched and the maximum number of entries.
    public static let filter = "filter"
    public static let expandCount = "count"
}
