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

    /// A resource just written: 201 with Location on creation, 200 otherwise.
    static func resource(_ written: Written, location base: String, type: String) -> Response {
        var extra: [(HTTPField.Name, String)] = [(.eTag, FHIR.etag(written.version))]
        if let lastUpdated = written.resource["meta"]?["lastUpdated"]?.stringValue, let ms = Time.parseMs(lastUpdated) {
            extra.append((.lastModified, Time.httpDate(ms: ms)))
        }
        if written.status == 201 {
            extra.append((.location, "\(base)/\(type)/\(written.id)/_history/\(written.version)"))
        }
        return json(written.resource, status: written.status, headers: extra)
    }

    /// A resource read: its ETag, and optionally where it lives.
    static func read(_ resource: JSONValue, version: Int, location: String? = nil) -> Response {
        var extra: [(HTTPField.Name, String)] = [(.eTag, FHIR.etag(version))]
        if let location { extra.append((.location, location)) }
        return json(resource, headers: extra)
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
