/// The FHIR coding systems of vaccine codes, with the URIs other systems are seen to use.
public enum CodingSystem: String, Sendable, CaseIterable {
    case cis, cip13, nuva, atc, cvx

    /// The URI Carnet writes.
    public var uri: String {
        switch self {
        case .cis: return "https://smt.esante.gouv.fr/terminologie-bdpm"
        case .cip13: return "https://smt.esante.gouv.fr/terminologie-cip"
        case .nuva: return FHIRRecommendation.nuvaSystem
        case .atc: return "http://www.whocc.no/atc"
        case .cvx: return "http://hl7.org/fhir/sid/cvx"
        }
    }

    /// The system a coding's `system` URI names, or nil for one Carnet does not read.
    /// Accepts http/https and a trailing slash; NUVA has three URIs in use (ANS, IVCI, the sandbox's).
    public init?(uri: String) {
        var u = uri
        if u.hasSuffix("/") { u.removeLast() }
        if u.hasPrefix("https://") { u = "http://" + u.dropFirst(8) }
        switch u {
        case "http://smt.esante.gouv.fr/terminologie-bdpm", "urn:oid:1.2.250.1.213.2.3.1": self = .cis
        case "http://smt.esante.gouv.fr/terminologie-cip", "urn:oid:1.2.250.1.213.2.3.2": self = .cip13
        case "http://smt.esante.gouv.fr/terminologie-nuva", "http://ivia.org/nuva", "http://ivci.org/nuva", "urn:oid:1.3.6.1.4.1.48601.1.1": self = .nuva
        case "http://www.whocc.no/atc": self = .atc
        case "http://hl7.org/fhir/sid/cvx": self = .cvx
        default: return nil
        }
    }
}

/// One FHIR Coding (system, code, display) as the catalogue reads and writes it.
public struct VaccineCoding: Sendable, Hashable {
    public var system: String
    public var code: String
    public var display: String?

    public init(system: String, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}

extension VaccineProduct {
    /// The product's codings for an Immunization.vaccineCode, CIS first (FR Core requires it),
    /// then NUVA and ATC. `cis` picks one of several CIS codes (e.g. the one of the box scanned);
    /// `cip13` adds the presentation's code.
    public func codings(cis chosenCIS: String? = nil, cip13 chosenCIP: String? = nil) -> [VaccineCoding] {
        var out: [VaccineCoding] = []
        if let c = chosenCIS ?? cis { out.append(VaccineCoding(system: CodingSystem.cis.uri, code: c, display: name)) }
        if let c = chosenCIP { out.append(VaccineCoding(system: CodingSystem.cip13.uri, code: c, display: name)) }
        if let n = nuva { out.append(VaccineCoding(system: CodingSystem.nuva.uri, code: n, display: name)) }
        if let a = atc { out.append(VaccineCoding(system: CodingSystem.atc.uri, code: a)) }
        return out
    }
}
