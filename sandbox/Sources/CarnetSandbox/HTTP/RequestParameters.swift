// What handlers read from the URL: the base URL as the client addressed us, resource ids, _count.

import CarnetWire
import Foundation
import Hummingbird

enum RequestParameters {
    static let maxCount = 100
    static let defaultCount = 20

    /// Absolute base URL as the client addressed us (for fullUrl and paging links).
    static func baseURL(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        return "https://\(host)\(WirePath.fhirBase)"
    }

    /// `_count`: 20 by default, at most 100.
    static func count(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get(WireQuery.count) else { return defaultCount }
        guard let value = Int(text), value >= 1 else {
            throw FHIRError.badRequest("_count must be a positive integer", expression: WireQuery.count)
        }
        return min(value, maxCount)
    }

    /// Refuses the first query parameter not in `supported` (400 `unsupported-parameter`): an
    /// endpoint never ignores a parameter it does not understand.
    static func refuseUnsupported(_ request: Request, _ supported: Set<String>) throws {
        for (name, _) in try SearchParameters.parse(request.uri.query ?? "") where !supported.contains(name) {
            throw SearchParameters.unsupported(name)
        }
    }

    /// A FHIR id from the path: 1–64 of [A-Za-z0-9-.].
    static func id(_ context: SandboxContext, _ name: String = "id") throws -> String {
        guard let id = context.parameters.get(name), !id.isEmpty, id.count <= 64,
            id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw FHIRError.badRequest("invalid resource id")
        }
        return id
    }

    /// `value` percent-encoded for a paging link, keeping alphanumerics and `allowed`.
    static func queryEncoded(_ value: String, keeping allowed: String = "-") -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: allowed)))
            ?? ""
    }
}
