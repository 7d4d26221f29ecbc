/// Why a scanned box code gave no product. Each case names what is wrong, so the message the
/// doctor reads says what to do (rescan, type the lot by hand, pick the product in the list).
public enum BoxScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing but spaces or control characters.
    case empty
    /// Neither a GS1 element string, nor the `(AI)value` form, nor a GS1 Digital Link URL.
    case unsupportedFormat(reason: String)
    /// No GTIN (AI 01) in the code: the box's DataMatrix always has one.
    case missingGTIN
    /// The GTIN's last digit is not its GS1 check digit (a misread).
    case badCheckDigit(gtin: String, expected: Int)
    /// An element whose value breaks its AI's rules (length, characters), or cut short.
    case malformedElement(ai: String, reason: String)
    /// A number that is no GS1 application identifier.
    case unknownApplicationIdentifier(String)
    /// AI 17 (or another date AI) that is not a valid YYMMDD date.
    case invalidDate(ai: String, value: String)
    /// The same AI twice with different values.
    case conflictingElement(ai: String)
    /// A valid GTIN that names no product of the catalogue (`cip13` when it is a French one).
    case unknownGTIN(gtin: String, cip13: String?)

    public var description: String {
        switch self {
        case .empty: return "empty scan"
        case .unsupportedFormat(let r): return "not a GS1 code: \(r)"
        case .missingGTIN: return "no GTIN (AI 01) in the code"
        case .badCheckDigit(let g, let e): return "GTIN \(g): wrong check digit (expected \(e))"
        case .malformedElement(let ai, let r): return "AI \(ai): \(r)"
        case .unknownApplicationIdentifier(let ai): return "unknown GS1 application identifier \(ai)"
        case .invalidDate(let ai, let v): return "AI \(ai): '\(v)' is not a YYMMDD date"
        case .conflictingElement(let ai): return "AI \(ai) given twice with different values"
        case .unknownGTIN(let g, let c):
            return c.map { "GTIN \(g) (CIP13 \($0)): no such product in the catalogue" } ?? "GTIN \(g): not a French (CIP13) product"
        }
    }

    /// The same message in French, for the doctor.
    public var frenchDescription: String {
        switch self {
        case .empty: return "Le code scanné est vide."
        case .unsupportedFormat(let r): return "Ce code n'est pas un code GS1 de boîte de médicament (\(r))."
        case .missingGTIN: return "Le code ne contient pas de GTIN (AI 01) : scannez le code DataMatrix de la boîte."
        case .badCheckDigit(let g, _): return "Le GTIN \(g) a une clé de contrôle fausse : le code a été mal lu, scannez-le à nouveau."
        case .malformedElement(let ai, let r): return "L'élément (\(ai)) du code est invalide (\(r))."
        case .unknownApplicationIdentifier(let ai): return "Le code contient un identifiant d'application GS1 inconnu (\(ai))."
        case .invalidDate(let ai, let v): return "La date (\(ai)) « \(v) » du code n'est pas une date AAMMJJ valide."
        case .conflictingElement(let ai): return "L'élément (\(ai)) apparaît deux fois avec des valeurs différentes."
        case .unknownGTIN(let g, let c):
            return c.map { "Aucun vaccin du catalogue n'a le code CIP13 \($0) (GTIN \(g))." }
                ?? "Le GTIN \(g) n'est pas celui d'un médicament vendu en France (CIP13)."
        }
    }
}
