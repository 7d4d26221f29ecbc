internal import CarnetJSON
internal import CarnetWire

/// FHIR R4 requests to the service, with their answers checked (status, content type, JSON
/// within limits, resource type) before anyone reads them. Works on any `FHIRService`: the
/// production one over mutual TLS, or a test's in-memory service.
struct ServiceConnection {
    let service: any FHIRService
    let logger: Logger
    let token: Cancellation.Token

    /// The same service over another connection of its own (ExchangePipeline's lanes); nil when
    /// the service has a single connection.
    func lane(_ lane: Int) -> ServiceConnection? {
        service.lane(lane).map { ServiceConnection(service: $0, logger: logger, token: token) }
    }

    /// FHIR documents larger than this are refused (a carnet's history fits in far less).
    static let jsonLimits = JSONLimits(maxBytes: 16 << 20, maxDepth: 64, maxNumberLength: 64)

    struct Answer {
        let response: HTTPResponse
        let resource: JSONValue?
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        headers: [(String, String)] = [], expect: Set<Int> = [200, 201]
    ) throws(CarnetFailure) -> Answer {
        try send(FHIRRequest(method: method, path: path, query: query, headers: headers, body: body), expect: expect)
    }

    func send(_ request: FHIRRequest, expect: Set<Int> = [200, 201]) throws(CarnetFailure) -> Answer {
        let method = request.method, path = request.path
        let response = try service.send(request, token: token)
        guard expect.contains(response.status) else {
            let failure =
                response.status >= 200 && response.status < 300
                ? CarnetFailure(
                    .protocolViolation, domain: .http, code: Int32(clamping: response.status),
                    message: .protocolViolation(.unexpectedStatus))
                : ServiceFailures.map(response)
            logger.log(
                .warning,
                "service answered HTTP \(response.status) to \(method.rawValue) "
                    + HTTPTransport.resourceLabel("https://service/" + path))
            throw failure
        }
        guard !response.body.isEmpty else { return Answer(response: response, resource: nil) }
        let contentType = response.header("content-type")?.lowercased() ?? ""
        guard contentType.hasPrefix(WireMediaType.fhirJSON) || contentType.hasPrefix("application/json") else {
            throw CarnetFailure(
                .protocolViolation, domain: .http, code: Int32(clamping: response.status),
                message: .protocolViolation(.wrongContentType))
        }
        do {
            let value = try JSONValue.parse(response.body, limits: ServiceConnection.jsonLimits)
            return Answer(response: response, resource: value)
        } catch {
            logger.log(.warning, "service sent malformed JSON: \(error.kind.rawValue)")
            throw CarnetFailure(
                .protocolViolation, domain: .http, code: Int32(clamping: response.status),
                message: .protocolViolation(.malformedJSON))
        }
    }

    /// The answer's resource, checked to be of `type`.
    func resource(_ answer: Answer, type: String) throws(CarnetFailure) -> JSONValue {
        guard let resource = answer.resource, resource["resourceType"]?.stringValue == type,
            resource.objectValue != nil
        else {
            throw CarnetFailure(
                .protocolViolation, domain: .http, code: Int32(clamping: answer.response.status),
                message: .protocolViolation(.wrongResourceType))
        }
        return resource
    }
}

enum URLEncoding {
    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return out
    }
}

/// Random request ids (X-Request-Id), to match a host's report with the service's log.
enum RequestID {
    /// 24 hex digits (96 random bits). From the system's generator (getrandom), not OpenSSL's
    /// DRBG: an id only has to be unique, and RAND_bytes was a tenth of the client's own CPU per
    /// single-request push (docs/performance.md).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high: UInt64 = generator.next()
        let low: UInt32 = generator.next()
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        for shift in stride(from: 60, through: 0, by: -4) { out.append(hex[Int((high >> UInt64(shift)) & 0xF)]) }
        for shift in stride(from: 28, through: 0, by: -4) { out.append(hex[Int((low >> UInt32(shift)) & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
