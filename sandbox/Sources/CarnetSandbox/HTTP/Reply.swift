// Responses: FHIR JSON, a written resource (ETag, Last-Modified, Location), an OperationOutcome,
// raw bytes (certificates, CRL).

import CarnetWire
import HTTPTypes
import Hummingbird
import NIOCore

enum Reply {
    static let fhirJSON = WireMediaType.fhirJSON + "; charset=utf-8"

    static func json(
        _ value: JSONValue, status: Int = 200, contentType: String = fhirJSON,
        headers extra: [(HTTPField.Name, String)] = []
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        for (name, value) in extra { headers[name] = value }
        let body = ResponseBody(byteBuffer: ByteBuffer(string: value.serialized()))
        return Response(status: .init(code: status), headers: headers, body: body)
    }

    /// A resource just written: 201 with Location on creation, 200 with Content-Location otherwise
    /// (an update, a conditional create that matched: where the resource is, so a client asking
    /// `return=minimal` learns it without a search); its ETag and Last-Modified; the body as the
    /// request's `Prefer: return=` asks (ReturnPreference.swift).
    static func resource(_ written: Written, type: String, request: Request) -> Response {
        var extra = versionHeaders(written.resource, version: written.version)
        let base = RequestParameters.baseURL(request)
        let url = "\(base)/\(type)/\(written.id)/_history/\(written.version)"
        extra.append((written.status == 201 ? .location : .contentLocation, url))
        switch ReturnPreference(request) {
        case .representation:
            return json(written.resource, status: written.status, headers: extra)
        case .operationOutcome:
            let done = written.status == 201 ? "created" : "unchanged or updated"
            let outcome = OperationOutcome.make(
                severity: .information, code: .informational,
                message: "\(type)/\(written.id) version \(written.version): \(done)")
            return json(outcome, status: written.status, headers: extra)
        case .minimal:
            var headers = HTTPFields()
            headers[.cacheControl] = "no-store"
            for (name, value) in extra { headers[name] = value }
            return Response(status: .init(code: written.status), headers: headers, body: ResponseBody())
        }
    }

    /// A resource read: its ETag and Last-Modified, and optionally where it lives.
    static func read(_ resource: JSONValue, version: Int, location: String? = nil) -> Response {
        var extra = versionHeaders(resource, version: version)
        if let location { extra.append((.location, location)) }
        return json(resource, headers: extra)
    }

    /// `ETag: W/"<versionId>"` and `Last-Modified` (the HTTP date of `meta.lastUpdated`).
    static func versionHeaders(_ resource: JSONValue, version: Int) -> [(HTTPField.Name, String)] {
        var headers: [(HTTPField.Name, String)] = [(.eTag, FHIR.etag(version))]
        if let lastUpdated = resource["meta"]?["lastUpdated"]?.stringValue, let ms = Time.parseMs(lastUpdated) {
            headers.append((.lastModified, Time.httpDate(ms: ms)))
        }
        return headers
    }

    static func outcome(_ error: FHIRError) -> Response {
        var extra: [(HTTPField.Name, String)] = []
        if let retry = error.retryAfter { extra.append((.retryAfter, String(retry))) }
        if error.status == 401 { extra.append((.wwwAuthenticate, "Bearer realm=\"carnet-sandbox\"")) }
        return json(error.outcome, status: error.status, headers: extra)
    }

    static func bytes(_ bytes: [UInt8], contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
