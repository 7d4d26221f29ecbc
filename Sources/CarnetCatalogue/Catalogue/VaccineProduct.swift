/// A vaccine-preventable disease (NUVA target, `DISnnn`) with its French label.
public struct TargetDisease: Sendable, Hashable {
    /// NUVA target code, e.g. `DIS001`.
    public var code: String
    /// French label, e.g. "Diphtérie".
    public var label: String

    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

/// A valence: the functional unit of a vaccine against one disease (NUVA `VALnnn`).
public struct Valence: Sendable, Hashable {
    /// NUVA valence code, e.g. `VAL097`.
    public var code: String
    /// Short-hand notation, e.g. `D`, `aP`, `IPV`.
    public var shorthand: String
    /// French label (English when the release has no French one).
    public var label: String
    /// The disease it protects against.
    public var disease: TargetDisease

    public init(code: String, shorthand: String, label: String, disease: TargetDisease) {
        self.code = code
        self.shorthand = shorthand
        self.label = label
        self.disease = disease
    }
}

/// A vaccine product (or, for NUVA abstract vaccines, a family such as "Vaccin Grippe,
/// sans précision").
public struct VaccineProduct: Sendable, Hashable {
    /// Brand name (e.g. "HEXYON") or the French label of an abstract vaccine.
    public var name: String
    /// First French CIS code (Code Identifiant de Spécialité, BDPM), nil when none is known.
    public var cis: String?
    /// Every CIS code of the product (a product may carry several, e.g. two presentations).
    public var cisCodes: [String]
    /// CIP13 codes of its presentations.
    public var cip13: [String]
    /// WHO ATC code when known (class level, e.g. `J07BB02`).
    public var atc: String?
    /// NUVA code `VACnnnn`.
    public var nuva: String?
    /// CDC CVX codes NUVA aligns with the product (its own and its best alignments), e.g. `146`.
    /// A CVX code names a vaccine type, so several products usually share one.
    public var cvx: [String]
    public var valences: [Valence]
    /// Distinct diseases of the valences, in valence order.
    public var targetDiseases: [TargetDisease]
    /// True for products taken as on the French market: NUVA's only signal (a concrete product
    /// with a CIS code), corrected by `FrenchMarketCuration` (docs/catalogue.md).
    public var marketedInFrance: Bool
    /// True for NUVA abstract vaccines (a family, not a product).
    public var isAbstract: Bool
    /// Other names searched as names (e.g. the English NUVA label of an abstract vaccine).
    public var alternateNames: [String]

    public init(
        name: String, cisCodes: [String] = [], cip13: [String] = [], atc: String? = nil,
        nuva: String? = nil, cvx: [String] = [], valences: [Valence], marketedInFrance: Bool,
        isAbstract: Bool = false, alternateNames: [String] = []
    ) {
        self.name = name
        self.cis = cisCodes.first
        self.cisCodes = cisCodes
        self.cip13 = cip13
        self.atc = atc
        self.nuva = nuva
        self.cvx = cvx
        self.valences = valences
        var diseases: [TargetDisease] = []
        for valence in valences where !diseases.contains(where: { $0.code == valence.disease.code }) {
            diseases.append(valence.disease)
        }
        self.targetDiseases = diseases
        self.marketedInFrance = marketedInFrance
        self.isAbstract = isAbstract
        self.alternateNames = alternateNames
    }

    /// The NUVA disease codes this product protects against.
    public var diseaseCodes: Set<String> { Set(targetDiseases.map(\.code)) }
}
