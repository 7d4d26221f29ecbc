// Vaccine codes: the 422 "unknown vaccine code" check and ValueSet $expand.

import Foundation

protocol VaccineLookup: Sendable {
    /// true/false when the system is one the catalogue covers, nil when it cannot tell.
    func isKnown(system: String, code: String) -> Bool?
    /// Products matching `filter` (name, disease, code), as ValueSet.expansion.contains items.
    func expand(filter: String, count: Int) -> [JSONValue]
    var isAvailable: Bool { get }
    /// ImmDS-style forecast for a carnet (Parameters).
    func forecast(patient: JSONValue, immunizations: [JSONValue], assessmentDate: String) -> JSONValue
}

/// Used until the catalogue is linked in: accepts every well-formed code, expands nothing.
struct NoCatalogue: VaccineLookup {
    func isKnown(system: String, code: String) -> Bool? { nil }
    func expand(filter: String, count: Int) -> [JSONValue] { [] }
    var isAvailable: Bool { false }
}

extension VaccineLookup {
    /// ImmDS-style forecast: Parameters with `recommendation` (an ImmunizationRecommendation) when
    /// the engine is available, else an honest empty result and an OperationOutcome saying why.
    func forecast(patient: JSONValue, immunizations: [JSONValue], assessmentDate: String) -> JSONValue {
        var parameters: [JSONValue] = []
        for immunization in immunizations {
            parameters.append(["name": "evaluatedHistory", "resource": immunization])
        }
        parameters.append(["name": "outcome", "resource": FHIR.outcome(
            severity: "warning", code: "not-supported",
            message: "Le moteur de recommandations n'est pas disponible dans ce bac à sable : aucune recommandation n'est calculée.",
            detail: "recommendations-unavailable")])
        return ["resourceType": "Parameters", "parameter": .array(parameters)]
    }
}

enum Catalogue {
    /// The root package's catalogue (built-in list, extended by the NUVA release in $CARNET_NUVA_DIR).
    static func load() -> any VaccineLookup {
        CatalogueLookup(nuvaDirectory: ProcessInfo.processInfo.environment["CARNET_NUVA_DIR"])
    }
}
