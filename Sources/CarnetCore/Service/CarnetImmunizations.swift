internal import CarnetJSON
internal import CarnetWire

/// A carnet's live vaccinations on the service: `GET Immunization?patient=<id>`, every page.
extension ServiceConnection {
    /// At most 100 pages of 100 (a carnet holds far fewer); `next` is followed with its own
    /// paging parameter only, never an absolute URL the service chose.
    /// `identifier` (`system|value`): only the vaccination with that identifier.
    func immunizations(of carnet: String, identifier: String? = nil) throws(CarnetFailure) -> [JSONValue] {
        var resources: [JSONValue] = []
        let filter: [(String, String)] = identifier.map { [(WireQuery.identifier, $0)] } ?? []
        var query: [(String, String)] = [(WireQuery.patient, carnet), (WireQuery.count, "100")] + filter
        for _ in 0..<100 {
            let answer = try send(.get, "Immunization", query: query, expect: [200])
            let bundle = try resource(answer, type: "Bundle")
            for entry in bundle["entry"]?.arrayValue ?? [] {
                guard let resource = entry["resource"], resource["resourceType"] == "Immunization",
                    let id = resource["id"]?.stringValue, !id.isEmpty, id.utf8.count <= 64
                else { continue }
                resources.append(resource)
            }
            guard
                let next = bundle["link"]?.arrayValue?.first(where: { $0["relation"] == "next" })?["url"]?
                    .stringValue, let after = ServiceConnection.queryValue(next, WireQuery.after)
            else { break }
            query = [(WireQuery.patient, carnet), (WireQuery.count, "100")] + filter + [(WireQuery.after, after)]
        }
        return resources
    }

    /// One query parameter of a URL the service sent, if it is a plain token.
    static func queryValue(_ url: String, _ name: String) -> String? {
        guard let q = url.firstIndex(of: "?") else { return nil }
        for pair in url[url.index(after: q)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] == name {
                let value = String(parts[1])
                guard value.utf8.count <= 128,
                    value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
                else { return nil }
                return value
            }
        }
        return nil
    }
}
