/// Deriving the CIS a French record needs from the codings another system wrote.
public enum CISDerivation: Sendable, Equatable {
    /// The codings name exactly one product with exactly one CIS (a CIS coding already present
    /// counts as itself). `derivedFrom` is the coding that decided it.
    case derived(cis: String, product: VaccineProduct, derivedFrom: VaccineCoding)
    /// No single CIS: the products the codings (or the display text) could mean, best first
    /// (empty when nothing matches). The caller refuses the document and may show these.
    case ambiguous(candidates: [VaccineProduct])
}

extension VaccineCatalogue {
    /// The CIS of an Immunization.vaccineCode, derived from its codings.
    ///
    /// Order: a CIS coding the catalogue knows; then each CIP13, NUVA, CVX, ATC coding (in that
    /// order of precision): the first that maps to exactly one product with exactly one CIS wins.
    /// A CIS or CIP13 coding names one presentation, so its product's CIS is kept even when the
    /// product has several. When none decides, the candidates are the products of the most
    /// precise coding that matched, else a search on `text` and the codings' displays.
    /// Codings of unknown systems are ignored; a code is read case-insensitively.
    public func deriveCIS(codings: [VaccineCoding], text: String? = nil, candidateLimit: Int = 10) -> CISDerivation {
        let limit = max(1, min(candidateLimit, 100))
        var firstCandidates: [VaccineProduct] = []
        let ranked: [(CodingSystem, VaccineCoding)] = [CodingSystem.cis, .cip13, .nuva, .cvx, .atc].flatMap { system in
            codings.filter { CodingSystem(uri: $0.system) == system }.map { (system, $0) }
        }
        for (system, coding) in ranked {
            let code = coding.code.collapsingWhitespace
            guard !code.isEmpty, code.utf8.count <= 64 else { continue }
            let matches: [VaccineProduct]
            switch system {
            case .cis:
                matches = products(code: code).filter { $0.cisCodes.contains(code) }
                if matches.count == 1, let p = matches.first { return .derived(cis: code, product: p, derivedFrom: coding) }
            case .cip13:
                matches = products(code: code).filter { $0.cip13.contains(code) }
            case .nuva:
                let upper = code.uppercased()
                let full = upper.hasPrefix("VAC") ? upper : "VAC" + upper
                matches = products(code: full).filter { $0.nuva == full }
            case .cvx:
                matches = products(cvx: code)
            case .atc:
                matches = products(code: code).filter { $0.atc?.uppercased() == code.uppercased() }
            }
            // Abstract NUVA vaccines have no CIS: among the matches, only products that do count.
            let withCIS = matches.filter { !$0.cisCodes.isEmpty }
            if withCIS.count == 1, let p = withCIS.first, p.cisCodes.count == 1, let cis = p.cis {
                return .derived(cis: cis, product: p, derivedFrom: coding)
            }
            if firstCandidates.isEmpty && !matches.isEmpty {
                firstCandidates = Self.marketedFirst(withCIS.isEmpty ? matches : withCIS)
            }
        }
        if !firstCandidates.isEmpty { return .ambiguous(candidates: Array(firstCandidates.prefix(limit))) }
        var candidates: [VaccineProduct] = []
        let texts = ([text] + codings.map(\.display)).compactMap { $0 }.filter { !$0.isEmpty }
        for t in texts {
            for p in search(t, limit: limit) where !candidates.contains(p) && candidates.count < limit { candidates.append(p) }
            if !candidates.isEmpty { break }
        }
        return .ambiguous(candidates: candidates)
    }

    private static func marketedFirst(_ products: [VaccineProduct]) -> [VaccineProduct] {
        products.filter(\.marketedInFrance) + products.filter { !$0.marketedInFrance }
    }
}
