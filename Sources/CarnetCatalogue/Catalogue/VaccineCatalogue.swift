/// An immutable, searchable list of vaccine products, with what it says about itself (`info`).
///
/// Thread-safe: immutable after init. `builtIn` is the whole NUVA release compiled into the
/// library (scripts/nuva_snapshot.py); `importNUVA` reads a newer release directory;
/// `serialized()` / `init(serialized:)` carry an imported catalogue through the store;
/// `ActiveCatalogue` swaps the one in use.
public final class VaccineCatalogue: Sendable {
    /// How a NUVA import relates to the built-in catalogue.
    public enum ImportMode: Sendable {
        /// Only the release's products.
        case replace
        /// Every release product, then the built-in products whose NUVA code the release lacks
        /// (so that nothing a doctor could pick before the update disappears).
        case extendBuiltIn
    }

    public let products: [VaccineProduct]
    public let info: CatalogueInfo
    let index: SearchIndex
    /// NUVA valence code → NUVA disease code, for doses recorded by valence.
    let valenceIndex: [String: String]

    /// A catalogue of these products, described by `info` (its `productCount` is set from `products`).
    public init(products: [VaccineProduct], info: CatalogueInfo? = nil) {
        self.products = products
        var described = info ?? CatalogueInfo(version: "unknown", releaseDate: "", productCount: 0, source: "",
                                              attribution: "", license: "", origin: .custom)
        described.productCount = products.count
        self.info = described
        self.index = SearchIndex(products)
        var valences: [String: String] = [:]
        for product in products {
            for valence in product.valences where valences[valence.code] == nil {
                valences[valence.code] = valence.disease.code
            }
        }
        self.valenceIndex = valences
    }

    public var count: Int { products.count }

    /// The default catalogue: every product of the NUVA release the library was built with,
    /// parsed from the compiled-in snapshot once, at first use (≈ 10 ms, see docs/catalogue.md).
    public static let builtIn: VaccineCatalogue = {
        do {
            return try snapshotCatalogue()
        } catch {
            // Unreachable while the generated snapshot parses (a test proves it); never trap:
            // fall back to the hand-made calendar list.
            return handMade
        }
    }()

    static func snapshotCatalogue() throws(CatalogueError) -> VaccineCatalogue {
        var text = NUVASnapshotData.text
        let result = text.withUTF8 { bytes -> Result<CatalogueSnapshot.Decoded, CatalogueError> in
            do throws(CatalogueError) {
                return .success(try CatalogueSnapshot.decode(bytes, file: "NUVASnapshotData.swift", origin: .builtIn))
            } catch {
                return .failure(error)
            }
        }
        let decoded = try result.get()
        return VaccineCatalogue(products: decoded.products, info: decoded.info)
    }

    /// The 61 products of the French calendar written by hand before the NUVA snapshot
    /// (BuiltInCatalogue.swift); kept as the fallback and for the comparison in docs/catalogue.md.
    public static let handMade: VaccineCatalogue = {
        let products = (try? BuiltInCatalogue.parse(BuiltInCatalogue.text)) ?? []
        return VaccineCatalogue(products: products, info: CatalogueInfo(
            version: "hand-made", releaseDate: "", productCount: products.count, source: CatalogueInfo.nuvaSource,
            attribution: CatalogueInfo.nuvaAttribution, license: CatalogueInfo.nuvaLicense, origin: .custom))
    }()

    /// The product with this CIS, CIP13, NUVA (`VAC0002` or `0002`) or ATC code
    /// (case-insensitive); the first one in catalogue order when a code is shared
    /// (ATC class codes are shared by design).
    public func product(code: String) -> VaccineProduct? {
        productIndices(code: code).first.map { products[$0] }
    }

    /// Every product carrying this code, in catalogue order.
    public func products(code: String) -> [VaccineProduct] {
        productIndices(code: code).map { products[$0] }
    }

    /// Every product NUVA aligns with this CDC CVX code (e.g. `146`), in catalogue order.
    public func products(cvx: String) -> [VaccineProduct] {
        (index.codes.cvx[cvx] ?? []).map { products[$0] }
    }

    func productIndices(code: String) -> [Int] {
        guard code.utf8.count <= 256 else { return [] }
        return index.codes.exact(FrenchFolding.fold(code).filter { $0 != 0x20 })
    }

    /// Products matching `query` by name (whole, partial, or as printed on a box: "AGRIPPAL SER
    /// 0,5ML"), French disease label, usual abbreviation (ROR, DTP, dTcaP, HPV, VRS...) or code
    /// (CIS, CIP13, NUVA, ATC), case-, accent- and punctuation-insensitive, one typo tolerated in
    /// words of five letters or more, products marketed in France first (ranking in SearchIndex).
    /// At most `limit` results; none for an empty query or `limit` ≤ 0.
    public func search(_ query: String, limit: Int) -> [VaccineProduct] {
        searchIndices(query, limit: limit).map { products[$0] }
    }

    /// The same search, as positions in `products` (what a cache of per-product answers needs).
    public func searchIndices(_ query: String, limit: Int) -> [Int] {
        guard limit > 0 else { return [] }
        var folded = FrenchFolding.fold(query.utf8.count > 1024 ? String(query.prefix(256)) : query)
        if folded.count > 256 { folded.removeLast(folded.count - 256) }
        guard !folded.isEmpty else { return [] }
        return index.search(folded, limit: limit)
    }
}
