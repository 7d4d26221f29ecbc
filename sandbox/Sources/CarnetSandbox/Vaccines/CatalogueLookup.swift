// The root package's vaccine catalogue and recommendation engine behind `VaccineLookup`.
//
// The sandbox's JSON is CarnetJSON (JSON.swift), so the engine's resources are used as they are.

import CarnetCatalogue
import CarnetJSON
import CarnetWire
import Foundation

final class CatalogueLookup: VaccineLookup, @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: VaccineCatalogue?
    let nuvaDirectory: String?

    init(nuvaDirectory: String?) { self.nuvaDirectory = nuvaDirectory }

    /// Built-in French list, extended with a NUVA release when CARNET_NUVA_DIR names one.
    /// Loaded on first use (subcommands that never check a code do not pay for it).
    var catalogue: VaccineCatalogue {
        lock.lock(); defer { lock.unlock() }
        if let loaded { return loaded }
        var result = VaccineCatalogue.builtIn
        if let directory = nuvaDirectory, !directory.isEmpty, FileManager.default.fileExists(atPath: directory),
            let imported = try? VaccineCatalogue.importNUVA(directory: directory, mode: .extendBuiltIn)
        {
            result = imported
        }
        loaded = result
        return result
    }

    /// Answers of `isKnown` so far, by system and code: a batch asks about the same few vaccine
    /// codes for every entry, and the catalogue never changes once loaded.
    private var known: [String: Bool?] = [:]

    func isKnown(system: String, code: String) -> Bool? {
        let key = system + "|" + code
        if let answer = lock.withLock({ known[key] }) { return answer }
        let answer = lookUp(system: system, code: code)
        lock.withLock {
            if known.count >= 10_000 { known.removeAll() }  // bounded: codes come from clients
            known[key] = .some(answer)
        }
        return answer
    }

    private func lookUp(system: String, code: String) -> Bool? {
        let products = catalogue.products(code: code)
        switch system {
        case CodeSystem.cis: return products.contains { $0.cisCodes.contains(code) }
        case CodeSystem.cip13: return products.contains { $0.cip13.contains(code) }
        case CodeSystem.atc: return products.contains { $0.atc?.uppercased() == code.uppercased() }
        case _ where CodeSystem.nuvaAliases.contains(system):
            return products.contains { $0.nuva?.uppercased() == code.uppercased() }
        default: return nil
        }
    }

    func expand(filter: String, offset: Int, count: Int) -> (entries: [VaccineExpansionEntry], total: Int) {
        let catalogue = catalogue
        let matches = filter.isEmpty ? catalogue.products : catalogue.search(filter, limit: catalogue.count)
        let page = matches.dropFirst(offset).prefix(count).map { product in
            VaccineExpansionEntry(
                name: product.name, cisCodes: product.cisCodes, nuva: product.nuva, atc: product.atc,
                targetDiseases: product.targetDiseases.map(\.label),
                marketedInFrance: product.marketedInFrance)
        }
        return (Array(page), matches.count)
    }

    func forecast(patient: JSONValue, immunizations: [JSONValue], request: ForecastRequest) -> JSONValue {
        guard let id = patient["id"]?.stringValue, let birthText = patient["birthDate"]?.stringValue,
            let birth = CivilDate(birthText), let assessment = request.assessmentDate
        else {
            return ForecastAnswer.unavailable(history: immunizations)
        }
        var doses: [AdministeredDose] = []
        for immunization in immunizations where immunization["status"]?.stringValue == "completed" {
            guard let occurrence = immunization["occurrenceDateTime"]?.stringValue,
                let date = CivilDate(occurrence.prefix(10))
            else { continue }
            let codings = immunization["vaccineCode"]?["coding"]?.arrayValue ?? []
            let code =
                codings.first { $0["system"]?.stringValue == CodeSystem.cis }?["code"]?.stringValue
                ?? codings.first?["code"]?.stringValue
            doses.append(
                AdministeredDose(
                    date: date, productCode: code,
                    reference: immunization["id"]?.stringValue.map { "Immunization/\($0)" }))
        }
        let engine = RecommendationEngine(catalogue: catalogue)
        let forecasts = engine.forecast(
            birthDate: birth, assessmentDate: assessment, history: doses, context: request.context)
        guard !forecasts.isEmpty else {
            return ForecastAnswer.parameters(
                recommendation: nil, history: immunizations,
                outcome: OperationOutcome.make(
                    severity: .information, code: .informational,
                    message: "Aucune recommandation ne s'applique à ce carnet à cette date.", detail: .noRecommendation)
            )
        }
        let resource = FHIRRecommendation.immunizationRecommendation(
            forecasts: forecasts, patientReference: "Patient/\(id)", assessmentDate: assessment,
            id: RandomUUID.make())
        return ForecastAnswer.parameters(recommendation: resource, history: immunizations, outcome: nil)
    }
}
