// The outermost middleware: every error becomes an OperationOutcome, X-Request-Id is echoed (or
// made), the client's X-Carnet-Time-Zone dates "today" for the request, and one structured
// access-log line is written per request (no query, no body).

import CarnetCatalogue
import CarnetWire
import Foundation
import Hummingbird

struct OutcomeMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let log: EventLog
    let listener: String

    func handle(
        _ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response
    ) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var context = context
        let incoming = request.headers[.requestID] ?? ""
        context.requestID = Self.isValidRequestID(incoming) ? incoming : RandomUUID.make()
        var response: Response
        do {
            // A zone this service does not know is refused, never silently replaced by its own.
            let declared = request.headers[.carnetTimeZone]
            let zone = declared.flatMap { CivilTimeZone($0) }
            if declared != nil, zone == nil {
                throw FHIRError.badRequest(
                    "\(WireHeader.timeZone) is not a time zone this service knows (an IANA name of a French "
                        + "zone, UTC, or an offset such as +04:00)")
            }
            response = try await Time.$requestZone.withValue(zone) { try await next(request, context) }
        } catch let error as FHIRError {
            response = Reply.outcome(error)
        } catch let error as HTTPError {
            response = Reply.outcome(Self.outcome(for: error))
        } catch let error as SQLiteError {
            log.log(.error, "storage.error", [("code", .int(Int(error.code)))])
            response = Reply.outcome(
                FHIRError(
                    status: 503, code: .transient, message: "storage busy, retry later",
                    detail: .storage, retryAfter: 1))
        } catch {
            log.log(.error, "internal.error", [("type", .string(String(describing: type(of: error))))])
            response = Reply.outcome(FHIRError.internalError("internal error"))
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

    /// A client's id is echoed only if it is short and plain (it reaches our log lines).
    static func isValidRequestID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 200
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
    }

    /// Hummingbird's own errors (no route, wrong method, body too large) in FHIR terms.
    static func outcome(for error: HTTPError) -> FHIRError {
        let status = Int(error.status.code)
        switch status {
        case 404: return FHIRError(status: 404, code: .notFound, message: "no such endpoint", detail: .unknownEndpoint)
        case 405: return FHIRError.methodNotAllowed("method not allowed")
        case 413: return FHIRError.tooLarge
        default:
            return FHIRError(
                status: status, code: status >= 500 ? .exception : .invalid, message: error.status.reasonPhrase)
        }
    }
}
