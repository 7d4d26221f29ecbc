/// What a catalogue says about itself: which release it is, how big, where it came from, and
/// the attribution its licence requires (NUVA is CC-BY 4.0: the attribution must reach the user).
public struct CatalogueInfo: Sendable, Hashable {
    /// Where the catalogue in use was built from.
    public enum Origin: String, Sendable, Hashable {
        /// The snapshot compiled into the library (scripts/nuva_snapshot.py).
        case builtIn = "built-in"
        /// A NUVA release directory imported at run time.
        case imported
        /// Bytes written by `VaccineCatalogue.serialized()` and loaded back (e.g. from the store).
        case stored
        /// Products given directly to `VaccineCatalogue.init(products:)` (tests, tools).
        case custom
    }

    /// The release version, e.g. `1.0.1124`; `unknown` when the release does not say.
    public var version: String
    /// The release date `YYYY-MM-DD`, empty when unknown.
    public var releaseDate: String
    public var productCount: Int
    /// Who publishes the data, e.g. "NUVA, International Vaccine Codes Initiative (https://ivci.org/nuva)".
    public var source: String
    /// The attribution to show with the data.
    public var attribution: String
    /// SPDX identifier of the data's licence, e.g. `CC-BY-4.0`.
    public var license: String
    public var origin: Origin

    public init(version: String, releaseDate: String, productCount: Int, source: String,
                attribution: String, license: String, origin: Origin) {
        self.version = version
        self.releaseDate = releaseDate
        self.productCount = productCount
        self.source = source
        self.attribution = attribution
        self.license = license
        self.origin = origin
    }

    static let nuvaSource = "NUVA, International Vaccine Codes Initiative (https://ivci.org/nuva)"
    static let nuvaAttribution = "NUVA, International Vaccine Codes Initiative, CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
    static let nuvaLicense = "CC-BY-4.0"
}
