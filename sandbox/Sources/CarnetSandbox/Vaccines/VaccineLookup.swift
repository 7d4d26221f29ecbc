// What the service needs to know about vaccines: the 422 "unknown vaccine code" check, the
// ValueSet $expand entries, the ImmDS-style forecast. A protocol, so a test can supply a fixed list.

import CarnetCatalogue
import CarnetWire
import Foundation

protocol VaccineLookup: Sendable {
    /// true/false when the system is one the catalogue covers, nil when it cannot tell.
    func isKnown(system: String, code: String) -> Bool?
    /// Products matching `filter` (name, disease, code), at most `count`.
    func expand(filter: String, count: Int) -> [VaccineExpansionEntry]
    /// `$immds-forecast` for a record (Parameters), as of `request.assessmentDate`, for its context.
    func forecast(patient: JSONValue, immunizations: [JSONValue], request: ForecastRequest) -> JSONValue
}

enum Catalogue {
    /// The root package's catalogue (built-in list, extended by the NUVA release in $CARNET_NUVA_DIR).
    static func load() -> any VaccineLookup {
        CatalogueLookup(nuvaDirectory: ProcessInfo.processInfo.environment["CARNET_NUVA_DIR"])
    }
}

enum ForecastAnswer {
    /// The Parameters of a forecast: the recommendation if any, the history considered, and an
    /// OperationOutcome when there is no recommendation to say why.
    static func parameters(recommendation: JSONValue?, history: [JSONValue], outcome: JSONValue?) -> JSONValue {
        var items: [(String, Parameters.Value)] = []
        if let recommendation { items.append((ForecastParameter.recommendation, .resource(recommendation))) }
        items += history.map { (ForecastParameter.evaluatedHistory, .resource($0)) }
        if let outcome { items.append((ForecastParameter.outcome, .resource(outcome))) }
        return Parameters.make(items)
    }

    /// An honest empty answer when the record's data cannot feed the engine.
    static func unavailable(history: [JSONValue]) -> JSONValue {
        parameters(
            recommendation: nil, history: history,
            outcome: OperationOutcome.make(
                severity: .warning, code: .notSupported,
                message: "Le moteur de recommandations n'est pas disponible dans ce bac à sable : "
                    + "aucune recommandation n'est calculée.",
                detail: .recommendationsUnavailable))
    }
}
