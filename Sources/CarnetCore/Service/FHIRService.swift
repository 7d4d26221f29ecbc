internal import CarnetJSON
internal import CarnetWire

/// One request to the FHIR service, relative to its base URL (`Immunization`,
/// `Immunization/<id>`, `$changes`...). The body is a FHIR resource, encoded once, by whoever
/// puts it on the wire.
struct FHIRRequest: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var query: [(String, String)] = []
    var headers: [(String, String)] = []
    var body: JSONValue?
    /// The body's bytes, when its sender encoded it ahead (a pipelined push builds the next
    /// request while the current one travels); else the service encodes `body`.
    var encodedBody: [UInt8]? = nil

    /// The same request, its body encoded now.
    func encoded() -> FHIRRequest {
        var copy = self
        copy.encodedBody = body?.serializedUTF8()
        return copy
    }
}

/// The FHIR service as the library needs it: send a request, get the service's HTTP answer
/// whatever its status, or a failure of the exchange itself (network, TLS, timeout,
/// cancellation, credentials not available). `ServiceConnection` checks and types the answer.
///
/// In production `TLSFHIRService` (libcurl over mutual TLS); in the engine's unit tests an
/// in-memory service implementing the semantics the library relies on (Tests/CarnetCoreTests).
protocol FHIRService: Sendable {
    func send(_ request: FHIRRequest, token: Cancellation.Token) throws(CarnetFailure) -> HTTPResponse

    /// The same service over another connection of its own (`lane` >= 1), so that independent
    /// requests can travel at the same time (ExchangePipeline's lanes); nil when it has a single
    /// connection.
    func lane(_ lane: Int) -> (any FHIRService)?
}

extension FHIRService {
    func lane(_ lane: Int) -> (any FHIRService)? { nil }
}

/// The production service: the configured base URL, the professional's certificate, and one
/// libcurl transport for the doctor's calls and another for the background sync (so a slow
/// background request never makes the doctor wait).
struct TLSFHIRService: FHIRService {
    let baseURL: ServiceURL?
    let logger: Logger
    /// Sent with every request (`X-Carnet-Time-Zone`): the service's "today" is the workstation's.
    let timeZone: String
    /// The transport for foreground (false) or background (true) requests, on a lane (0: the
    /// one every call uses; 1...: the extra connections of a pipelined backlog).
    let transport: @Sendable (_ background: Bool, _ lane: Int) throws(CarnetFailure) -> HTTPTransport
    var laneNumber = 0
    /// The professional's unlocked certificate and key.
    let identity: @Sendable () throws(CarnetFailure) -> ClientIdentityMaterial

    func send(_ request: FHIRRequest, token: Cancellation.Token) throws(CarnetFailure) -> HTTPResponse {
        guard let baseURL else { throw .invalidArgument(.serviceURLMissing) }
        // The base URL itself (a batch Bundle) has no trailing slash.
        var url = request.path.isEmpty ? baseURL.text : baseURL.text + "/" + request.path
        if !request.query.isEmpty {
            url +=
                "?"
                + request.query.map { URLEncoding.component($0.0) + "=" + URLEncoding.component($0.1) }
                .joined(separator: "&")
        }
        var headers = [("Accept", WireMediaType.fhirJSON), (WireHeader.requestID, RequestID.make()),
                       (WireHeader.timeZone, timeZone)] + request.headers
        if request.body != nil { headers.append(("Content-Type", WireMediaType.fhirJSON + "; charset=utf-8")) }
        let http = HTTPRequest(
            method: request.method, url: url, headers: headers,
            body: request.encodedBody ?? request.body.map { $0.serializedUTF8() })
        let material = try identity()
        return try transport(token.isBackground, laneNumber).perform(
            http, identity: material, cancel: token, logger: logger)
    }

    func lane(_ lane: Int) -> (any FHIRService)? {
        guard lane >= 1, lane < ServiceAccess.maxLanes else { return nil }
        var copy = self
        copy.laneNumber = lane
        return copy
    }
}
