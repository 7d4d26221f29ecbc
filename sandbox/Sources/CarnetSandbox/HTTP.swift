// HTTP plumbing: the request context (keeps the TLS channel for the client certificate), JSON
// responses, and the outermost middleware (errors → OperationOutcome, X-Request-Id, access log).

import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOSSL

extension HTTPField.Name {
    // Literal, valid field names: the fallback is never taken (no force unwrap on request paths).
    static let requestID = HTTPField.Name("X-Request-Id") ?? .via
    static let ifNoneExist = HTTPField.Name("If-None-Exist") ?? .via
    static let carnetCursor = HTTPField.Name("X-Carnet-Cursor") ?? .via
}

/// Facts the access log needs from inner middlewares (a reference, so they flow outwards).
final class RequestFacts: @unchecked Sendable {
    private let lock = NSLock()
    private var _professional: String?
    var professional: String? {
        get { lock.lock(); defer { lock.unlock() }; return _professional }
        set { lock.lock(); _professional = newValue; lock.unlock() }
    }
}

struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var requestID = ""
    var professionalID: String? = nil
    var thumbprint: String? = nil
    var facts = RequestFacts()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The authenticated professional (set by `ClientCertificateMiddleware`).
    func requireProfessional() throws -> String {
        guard let professionalID else {
            throw FHIRError(status: 401, code: "login", message: "a client certificate is required", detail: "certificate-required")
        }
        return professionalID
    }
}

enum Reply {
    static let fhirJSON = "application/fhir+json; charset=utf-8"

    static func json(_ value: JSONValue, status: Int = 200, contentType: String = fhirJSON, headers extra: [(HTTPField.Name, String)] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        for (name, value) in extra { headers[name] = value }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

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

enum Body {
    static let maxBytes = 1 << 20

    /// Collects at most 1 MiB; larger bodies are a 413 OperationOutcome.
    static func bytes(_ request: Request) async throws -> [UInt8] {
        var request = request
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
        do {
            let buffer = try await request.collectBody(upTo: maxBytes)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
    }

    static let tooLarge = FHIRError(status: 413, code: "too-costly", message: "request bodies are limited to 1 MiB", detail: "body-too-large")

    /// A FHIR JSON body: content type checked, strict parse (UTF-8, duplicate keys, depth ≤ 64).
    static func json(_ request: Request) async throws -> JSONValue {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/fhir+json") || type.hasPrefix("application/json") else {
            throw FHIRError(status: 415, code: "not-supported", message: "send application/fhir+json", detail: "unsupported-media-type")
        }
        let bytes = try await bytes(request)
        guard !bytes.isEmpty else { throw FHIRError.badRequest("the request body is empty") }
        do {
            return try JSONValue.parse(bytes, limits: JSONLimits(maxBytes: Body.maxBytes, maxDepth: 64, maxNumberLength: 64))
        } catch {
            // The reason names the fault and its byte offset, never the document's content.
            throw FHIRError(status: 400, code: "structure", message: "malformed JSON: \(error.description)", detail: "malformed-json")
        }
    }
}

/// Outermost middleware: every error becomes an OperationOutcome, X-Request-Id is echoed (or
/// made), and one structured access-log line is written per request (no query, no body).
struct OutcomeMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let log: EventLog
    let listener: String

    func handle(_ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var context = context
        let incoming = request.headers[.requestID] ?? ""
        let valid = !incoming.isEmpty && incoming.count <= 200 && incoming.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
        context.requestID = valid ? incoming : UUID().uuidString.lowercased()
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as FHIRError {
            response = Reply.outcome(error)
        } catch let error as HTTPError {
            let status = Int(error.status.code)
            let mapped: FHIRError
            switch status {
            case 404: mapped = FHIRError(status: 404, code: "not-found", message: "no such endpoint", detail: "unknown-endpoint")
            case 405: mapped = FHIRError(status: 405, code: "not-supported", message: "method not allowed", detail: "method-not-allowed")
            case 413: mapped = Body.tooLarge
            default: mapped = FHIRError(status: status, code: status >= 500 ? "exception" : "invalid", message: error.status.reasonPhrase)
            }
            response = Reply.outcome(mapped)
        } catch let error as SQLiteError {
            log.log(.error, "storage.error", [("code", .int(Int(error.code)))])
            response = Reply.outcome(FHIRError(status: 503, code: "transient", message: "storage busy, retry later", detail: "storage", retryAfter: 1))
        } catch {
            log.log(.error, "internal.error", [("type", .string(String(describing: type(of: error))))])
            response = Reply.outcome(FHIRError(status: 500, code: "exception", message: "internal error"))
        }
        response.headers[.requestID] = context.requestID
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        var fields: [(String, JSONValue)] = [
            ("listener", .string(listener)),
            ("request_id", .string(context.requestID)),
            ("method", .string(request.method.rawValue)),
            ("path", .string(String(request.uri.path.prefix(200)))),
            ("status", .int(Int(response.status.code))),
            ("ms", .number(String(format: "%.1f", elapsed))),
        ]
        if let professional = context.facts.professional { fields.append(("professional", .string(professional))) }
        log.log(.info, "access", fields)
        return response
    }
}

/// On the mTLS listener: maps the client certificate (already verified against the CA by TLS)
/// to a professional, refuses unknown or revoked certificates, checks a bearer token if sent,
/// and applies the per-professional request rate limit.
struct ClientCertificateMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let store: Store
    let tokens: TokenStore
    let throttle: Throttle
    let requestsPerMinute: Int

    func handle(_ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response) async throws -> Response {
        var context = context
        guard let certificate = try? await context.channel.nioSSL_peerCertificate().get(),
              let der = try? certificate.toDERBytes() else {
            throw FHIRError(status: 401, code: "login", message: "a client certificate is required", detail: "certificate-required")
        }
        let thumbprint = Hex.encode(Array(SHA256.hash(data: der)))
        guard let row = try store.db.query("SELECT professional_id, revoked_at, not_after FROM certificates WHERE thumbprint = ?", [thumbprint]).first,
              let professional = row.string("professional_id") else {
            throw FHIRError(status: 401, code: "security", message: "this client certificate is not registered", detail: "certificate-unknown")
        }
        if row.int("revoked_at") != nil {
            throw FHIRError(status: 401, code: "security", message: "this client certificate has been revoked", detail: "certificate-revoked")
        }
        if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer "), let token = tokens.find(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
                throw FHIRError(status: 401, code: "login", message: "the bearer token is invalid or expired", detail: "token-invalid")
            }
            guard token.thumbprint == thumbprint, token.professional == professional else {
                throw FHIRError(status: 401, code: "security", message: "the bearer token is bound to another client certificate", detail: "token-binding-mismatch")
            }
        }
        context.professionalID = professional
        context.thumbprint = thumbprint
        context.facts.professional = professional
        if let wait = throttle.hit("rate:" + professional, limit: requestsPerMinute, seconds: 60) {
            throw FHIRError(status: 429, code: "throttled", message: "too many requests", detail: "rate-limited", retryAfter: wait)
        }
        return try await next(request, context)
    }
}
