internal import CarnetCatalogue
internal import CarnetJSON
internal import CarnetWire

/// What Carnet itself knows of the vaccination the note is about: the Immunization the host
/// recorded (from the local store) and its product in the catalogue. The note's mandatory coded
/// content — a precise date, the CIS code and its name, the ATC code and its label, the lot —
/// must all be there; what is optional (route, site, dose number) is written only when recorded,
/// and then must belong to the CI-SIS value sets. A gap fails naming the Immunization's element.
struct NoteVaccination: Sendable, Equatable {
    let hostID: String
    /// `20261130`.
    let date: String
    let cis: String
    let productName: String
    let atc: String
    let atcLabel: String
    let lot: String
    let route: CISISValueSets.Concept?
    let site: CISISValueSets.Concept?
    let doseNumber: Int?
    /// The vaccinator's national identifier when the Immunization names one (`performer.actor.identifier`).
    let performerNationalID: String?

    /// FHIR identifier systems of a professional's national identifier (IDNPS).
    static let nationalIDSystems: Set<String> = [CodeSystem.idnps, "https://rpps.esante.gouv.fr"]

    static func read(hostID: String, immunization: JSONValue, catalogue: VaccineCatalogue) throws(CarnetFailure)
        -> NoteVaccination
    {
        guard let occurrence = immunization["occurrenceDateTime"]?.stringValue, occurrence.utf8.count >= 10,
            let date = CivilDate(occurrence.prefix(10))
        else { throw .invalidArgument(.noteVaccinationIncomplete("occurrenceDateTime")) }

        let codings = immunization["vaccineCode"]?["coding"]?.arrayValue ?? []
        func code(_ systems: Set<String>) -> (code: String, display: String?)? {
            for coding in codings {
                guard let system = coding["system"]?.stringValue, systems.contains(system),
                    let code = coding["code"]?.stringValue, !code.isEmpty
                else { continue }
                return (code, coding["display"]?.stringValue.map(NoteText.trimmed).flatMap { $0.isEmpty ? nil : $0 })
            }
            return nil
        }
        guard let cisCoding = code([CodeSystem.cis]) else {
            throw .invalidArgument(.noteVaccinationIncomplete("vaccineCode.coding"))
        }
        let product = catalogue.product(code: cisCoding.code)
        guard let name = product?.name ?? cisCoding.display else {
            throw .invalidArgument(.noteVaccinationIncomplete("vaccineCode.coding"))
        }
        // The Immunization's own ATC coding first (the host's choice), else the catalogue's: the
        // product's, or — when the catalogue holds the CIS code twice (a built-in product and a NUVA
        // one without ATC) — the one ATC code the products sharing that CIS agree on.
        let catalogueATCs = Set(catalogue.products(code: cisCoding.code).compactMap(\.atc))
        let catalogueATC = product?.atc ?? (catalogueATCs.count == 1 ? catalogueATCs.first : nil)
        guard let atc = code([CodeSystem.atc])?.code ?? catalogueATC, let atcLabel = ATCLabels.label(atc) else {
            throw .invalidArgument(.noteProductWithoutATC)
        }
        guard let lot = immunization["lotNumber"]?.stringValue.map(NoteText.trimmed), !lot.isEmpty else {
            throw .invalidArgument(.noteVaccinationIncomplete("lotNumber"))
        }
        return NoteVaccination(
            hostID: hostID, date: NoteText.compactDate(date), cis: cisCoding.code, productName: name, atc: atc,
            atcLabel: atcLabel, lot: lot,
            route: try concept(immunization["route"], field: "route.coding", CISISValueSets.route),
            site: try concept(immunization["site"], field: "site.coding", CISISValueSets.site),
            doseNumber: doseNumber(immunization), performerNationalID: performerID(immunization))
    }

    /// A recorded route or site must be one the CI-SIS value set has (or an exact synonym):
    /// written unmapped, the note would be refused by the DMP; dropped, information would be lost.
    private static func concept(
        _ element: JSONValue?, field: String, _ lookup: (String, String) -> CISISValueSets.Concept?
    ) throws(CarnetFailure) -> CISISValueSets.Concept? {
        guard let element, !element.isNull else { return nil }
        let codings = element["coding"]?.arrayValue ?? []
        for coding in codings {
            if let system = coding["system"]?.stringValue, let code = coding["code"]?.stringValue,
                let concept = lookup(system, code)
            {
                return concept
            }
        }
        throw .invalidArgument(.noteVaccinationOutsideValueSet(field))
    }

    private static func doseNumber(_ immunization: JSONValue) -> Int? {
        guard let applied = immunization["protocolApplied"]?[0] else { return nil }
        if let number = applied["doseNumberPositiveInt"]?.intValue, number >= 1, number <= 99 { return Int(number) }
        if let text = applied["doseNumberString"]?.stringValue, (1...2).contains(text.utf8.count),
            let number = Int(text), number >= 1
        {
            return number
        }
        return nil
    }

    private static func performerID(_ immunization: JSONValue) -> String? {
        for performer in immunization["performer"]?.arrayValue ?? [] {
            let identifier = performer["actor"]?["identifier"]
            if let system = identifier?["system"]?.stringValue, nationalIDSystems.contains(system),
                let value = identifier?["value"]?.stringValue, !value.isEmpty
            {
                return value
            }
        }
        return nil
    }
}
