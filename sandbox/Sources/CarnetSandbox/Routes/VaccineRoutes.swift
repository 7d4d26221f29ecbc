// Vaccine search: ValueSet/$expand?filter= over the catalogue (by name, disease or code).

import CarnetWire
import Foundation
import Hummingbird

struct VaccineRoutes: Sendable {
    let vaccines: any VaccineLookup

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        fhir.get(RouterPath(WirePath.valueSetExpand), use: expand)
    }

    @Sendable func expand(_ request: Request, context: SandboxContext) async throws -> Response {
        _ = try context.requireProfessional()
        let query = request.uri.queryParameters
        let filter = query.get(WireQuery.filter) ?? ""
        guard filter.count <= 100 else {
            throw FHIRError.badRequest("filter is too long", expression: WireQuery.filter)
        }
        let count = max(min(Int(query.get(WireQuery.expandCount) ?? "") ?? 20, 100), 1)
        let entries = vaccines.expand(filter: filter, count: count).map(\.json)
        return Reply.json(
            VaccineValueSet.expansion(
                filter: filter, count: count, timestamp: Time.instant(ms: Time.nowMs()),
                identifier: "urn:uuid:" + UUID().uuidString.lowercased(),
                entries: entries))
    }
}
