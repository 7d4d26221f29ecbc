// Request bodies: bounded collection and the strict FHIR JSON parse.

import Hummingbird

enum RequestBody {
    static let maxBytes = 1 << 20

    /// Collects at most 1 MiB; larger bodies are a 413 OperationOutcome.
    static func bytes(_ request: Request) async throws -> [UInt8] {
        var request = request
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw FHIRError.tooLarge
        }
        do {
            let buffer = try await request.collectBody(upTo: maxBytes)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw FHIRError.tooLarge
        }
    }

    /// A FHIR JSON body: content type checked, strict parse (UTF-8, duplicate keys, depth ≤ 64).
    static func json(_ request: Request) async throws -> JSONValue {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/fhir+json") || type.hasPrefix("application/json") else {
            throw FHIRError(
                status: 415, code: .notSupported, message: "send application/fhir+json",
                detail: .unsupportedMediaType)
        }
        let bytes = try await bytes(request)
        guard !bytes.isEmpty else { throw FHIRError.badRequest("the request body is empty") }
        do {
            return try JSONValue.parse(bytes, limits: JSONLimits(maxBytes: maxBytes, maxDepth: 64, maxNumberLength: 64))
        } catch {
            // The reason names the fault and its byte offset, never the document's content.
            throw FHIRError(
                status: 400, code: .structure, message: "malformed JSON: \(error.description)",
                detail: .malformedJSON)
        }
    }
}
