// The root package's vaccine catalogue and recommendation engine behind `VaccineLookup`.
//
// The sandbox's JSON is CarnetJSON (JSON.swift), so the engine's resources are used as they are.

import CarnetCatalogue
import CarnetJSON
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
           let imported = try? VaccineCatalogue.importNUVA(directory: directory, mode: .extendBuiltIn) {
            result = imported
        }
        loaded = result
        return result
    }

    var isAvailable: Bool { true }

    static let nuvaSystems: Set<String> = [FHIRSystem.nuva, FHIRRecommendation.nuvaSystem, "https://smt.esante.gouv.fr/terminologie-nuva"]

    func isKnown(system: String, code: String) -> Bool? {
        let products = catalogue.products(code: code)
        switch system {
        case FHIRSystem.cis: return products.contains { $0.cisCodes.contains(code) }
        case FHIRSystem.cip13: return products.contains { $0.cip13.contains(code) }
        case FHIRSystem.atc: return products.contains { $0.atc?.uppercased() == code.uppercased() }
        case _ where Self.nuvaSystems.contains(system): return products.contains { $0.nuva?.uppercased() == code.uppercased() }
        default: return nil
        }
    }

    static let designationSystem = "https://carnet-sandbox.invalid/fhir/CodeSystem/designation"

    func expand(filter: String, count: Int) -> [JSONValue] {
        catalogue.search(filter, limit: count).map { product in
            var item = JSONObject()
            if let cis = product.cis {
                item["system"] = .string(FHIRSystem.cis)
                item["code"] = .string(cis)
            } else if let nuva = product.nuva {
                item["system"] = .string(FHIRRecommendation.nuvaSystem)
                item["code"] = .string(nuva)
            }
            item["display"] = .string(product.name)
            var designations: [JSONValue] = []
            func add(_ use: String, _ value: String) {
                designations.append(["language": "fr", "use": ["system": .string(Self.designationSystem), "code": .string(use)],
                                     "value": .string(value)])
            }
            for disease in product.targetDiseases { add("target-disease", disease.label) }
            if let nuva = product.nuva { add("nuva", nuva) }
            if let atc = product.atc { add("atc", atc) }
            for cis in product.cisCodes.dropFirst() { add("cis", cis) }
            add("marketed-in-france", product.marketedInFrance ? "true" : "false")
            item["designation"] = .array(designations)
            return .object(item)
        }
    }

    func forecast(patient: JSONValue, immunizations: [JSONValue], assessmentDate: String) -> JSONValue {
        var parameters: [JSONValue] = []
        guard let id = patient["id"]?.stringValue, let birthText = patient["birthDate"]?.stringValue,
              let birth = CivilDate(birthText), let assessment = CivilDate(assessmentDate) else {
            return NoCatalogue().forecast(patient: patient, immunizations: immunizations, assessmentDate: assessmentDate)
        }
        var doses: [AdministeredDose] = []
        for immunization in immunizations where immunization["status"]?.stringValue == "completed" {
            guard let occurrence = immunization["occurrenceDateTime"]?.stringValue, let date = CivilDate(occurrence.prefix(10)) else { continue }
            let codings = immunization["vaccineCode"]?["coding"]?.arrayValue ?? []
            let code = codings.first { $0["system"]?.stringValue == FHIRSystem.cis }?["code"]?.stringValue
                ?? codings.first?["code"]?.stringValue
            doses.append(AdministeredDose(date: date, productCode: code,
                                          reference: immunization["id"]?.stringValue.map { "Immunization/\($0)" }))
        }
        let engine = RecommendationEngine(catalogue: catalogue)
        let forecasts = engine.forecast(birthDate: birth, assessmentDate: assessment, history: doses)
        if !forecasts.isEmpty {
            let resource = FHIRRecommendation.immunizationRecommendation(
                forecasts: forecasts, patientReference: "Patient/\(id)", assessmentDate: assessment,
                id: UUID().uuidString.lowercased())
            parameters.append(["name": "recommendation", "resource": resource])
        }
        for immunization in immunizations {
            parameters.append(["name": "evaluatedHistory", "resource": immunization])
        }
        if forecasts.isEmpty {
            parameters.append(["name": "outcome", "resource": FHIR.outcome(
                severity: "information", code: "informational",
                message: "Aucune recommandation ne s'applique à ce carnet à cette date.", detail: "no-recommendation")])
        }
        return ["resourceType": "Parameters", "parameter": .array(parameters)]
    }
}
