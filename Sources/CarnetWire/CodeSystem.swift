/// Code systems and identifier systems of the protocol.
public enum CodeSystem {
    /// French CIS code of a medicinal product (BDPM); FR Core requires a CIS coding on an Immunization.
    public static let cis = "https://smt.esante.gouv.fr/terminologie-bdpm"
    /// CIP13 code of a package.
    public static let cip13 = "https://smt.esante.gouv.fr/terminologie-cip"
    /// NUVA (vaccine nomenclature) as published by the Agence du Numérique en Santé. The same
    /// value as CarnetCatalogue's `FHIRRecommendation.nuvaSystem` (CarnetWireTests checks it):
    /// the catalogue cannot depend on this module without a dependency cycle of layers.
    public static let nuva = "http://smt.esante.gouv.fr/terminologie-nuva"
    /// Spellings of NUVA accepted on input (https, and the NUVA publisher's own URI).
    public static let nuvaAliases: Set<String> = [
        nuva, "https://smt.esante.gouv.fr/terminologie-nuva", "http://ivia.org/nuva",
    ]
    /// WHO ATC classification.
    public static let atc = "http://www.whocc.no/atc"
    /// INS-NIR, the national health identifier of a patient.
    public static let insNIR = "urn:oid:1.2.250.1.213.1.4.8"
    /// Test INS (qualification environments).
    public static let insTest = "urn:oid:1.2.250.1.213.1.4.10"
    /// IDNPS, the national identifier of a health professional (FR Core): "8" + the RPPS number.
    public static let idnps = "urn:oid:1.2.250.1.71.4.2.1"

    // The project's own code systems.

    /// OperationOutcome.issue.details codes (`OutcomeDetail`).
    public static let outcomeDetail = "https://carnet-sandbox.invalid/fhir/CodeSystem/outcome"
    /// ValueSet.expansion.contains.designation.use (`VaccineDesignation`).
    public static let designationUse = "https://carnet-sandbox.invalid/fhir/CodeSystem/designation"
    /// `meta.tag` of a recommendation Carnet computed itself rather than the service.
    public static let recommendationOrigin = "urn:carnet:fhir:CodeSystem:origin"
    /// `Immunization.identifier.system` of a host's vaccination ids: this prefix + the practice id
    /// (or a store's install id), docs/sync.md "A practice, not a workstation".
    public static let hostVaccinationPrefix = "urn:carnet:host-vaccination:"
}

/// The project's own StructureDefinitions and OperationDefinitions.
public enum WireDefinition {
    static let base = "https://carnet-sandbox.invalid/fhir/"
    /// Patient extension (valueString): the pseudonym share-code lookups show.
    public static let pseudonymExtension = base + "StructureDefinition/carnet-pseudonym"
    /// Immunization extension (valueReference: `type` Practitioner, `display` = the professional's
    /// name, `identifier` = IDNPS): who recorded this version. Set by the service on every create
    /// and update by a professional; a value sent by the client is replaced (or removed).
    public static let recordedByExtension = base + "StructureDefinition/recorded-by"
    /// The canonical URL of a named operation, as the CapabilityStatement lists it.
    public static func operation(_ operation: WireOperation) -> String {
        base + "OperationDefinition/" + operation.rawValue
    }
    /// The canonical URL of the vaccine ValueSet `$expand` searches.
    public static let vaccineValueSet = base + "ValueSet/vaccines"
    /// Bundle entry extension (valueString) of `carnet_vaccinations_list`: the host's own id of a
    /// vaccination it holds. Library-side only; kept at its first-round URL, which hosts may match.
    public static let hostVaccinationIDExtension = "https://carnet.invalid/fhir/StructureDefinition/host-vaccination-id"
}
