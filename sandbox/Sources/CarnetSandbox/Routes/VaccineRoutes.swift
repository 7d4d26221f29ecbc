// Vaccine search: ValueSet/$expand over the catalogue — by name, disease or code with `filter`,
// the whole value set without — paged by `offset` and `count`.

import CarnetWire
import Foundation
import Hummingbird

struct VaccineRoutes: Sendable {
    let vaccines: any VaccineLookup

    static let parameters: Set<String> = [
        WireQuery.filter, WireQuery.expandCount, WireQuery.expandOffset, WireQuery.expandURL,
    ]

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        fhir.get(RouterPath(WirePath.valueSetExpand), use: expand)
    }

    @Sendable func expand(_ request: Request, context: SandboxContext) async throws -> Response {
        _ = try context.requireProfessional()
        let query = try SearchParameters(pairs: SearchParameters.parse(request.uri.query ?? ""))
        for (name, _) in query.pairs where !Self.parameters.contains(name) {
            throw FHIRError(
                status: 400, code: .notSupported, message: "unsupported $expand parameter \(name)",
                detail: .unsupportedParameter, expression: name)
        }
        let url = query.first(WireQuery.expandURL)
        // One value set is served: another canonical is a ValueSet this server does not know.
        if let url, url != WireDefinition.vaccineValueSet {
            throw FHIRError(
                status: 404, code: .notFound, message: "unknown ValueSet (this service expands "
                    + "\(WireDefinition.vaccineValueSet) only)", detail: .notFound, expression: WireQuery.expandURL)
        }
        let filter = query.first(WireQuery.filter) ?? ""
        guard filter.count <= 100 else {
            throw FHIRError.badRequest("filter is too long", expression: WireQuery.filter)
        }
        let count = try Self.integer(query, WireQuery.expandCount, default: 20, maximum: 100)
        let offset = try Self.integer(query, WireQuery.expandOffset, default: 0, maximum: 1_000_000)
        let (entries, total) = vaccines.expand(filter: filter, offset: offset, count: count)
        return Reply.json(
            VaccineValueSet.expansion(
                filter: filter, count: count, timestamp: Time.instant(ms: Time.nowMs()),
                identifier: "urn:uuid:" + RandomUUID.make(),
                entries: entries.map(\.json), total: total, offset: offset, url: url))
    }

    /// A non-negative integer parameter, at most `maximum`.
    private static func integer(_ query: SearchParameters, _ name: String, default value: Int, maximum: Int) throws
        -> Int
    {
        guard let text = query.first(name) else { return value }
        guard let number = Int(text), number >= 0 else {
            throw FHIRError.badRequest("\(name) must be a non-negative integer", expression: name)
        }
        return min(number, maximum)
    }
}
