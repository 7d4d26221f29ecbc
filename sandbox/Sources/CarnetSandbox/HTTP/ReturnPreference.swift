// `Prefer: return=…` (RFC 7240, FHIR RESTful API §3.1.0.8.4): what a create or update answers —
// the written resource (the default), nothing (`minimal`: the headers only), or an
// OperationOutcome saying what was done (`OperationOutcome`).

import Foundation
import Hummingbird

enum ReturnPreference {
    case representation, minimal, operationOutcome

    init(_ request: Request) {
        self = .representation
        let tokens = (request.headers[.prefer] ?? "").split(separator: ",").flatMap { $0.split(separator: ";") }
        for token in tokens {
            let parts = token.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard parts.count == 2, parts[0].lowercased() == "return" else { continue }
            switch parts[1].lowercased() {
            case "minimal": self = .minimal
            case "operationoutcome": self = .operationOutcome
            default: self = .representation
            }
        }
    }
}
