/// Corrections to NUVA's only French-market signal ("a concrete product with a CIS code").
///
/// NUVA says which products have a CIS (a BDPM entry, which stays after a product is withdrawn)
/// but not which are still sold. A doctor sees marketed products first, so an old product
/// flagged as marketed pushes the current one down ("prevenar" must give PREVENAR 13/20 before
/// the 2001 7-valent PREVENAR). Each entry is a decision listed in docs/catalogue.md with its
/// reason; it is applied to the built-in snapshot and to every imported release alike, and only
/// changes the flag (never a code). The real source would be the BDPM's "état de
/// commercialisation" (CIS_bdpm.txt), not read here.
enum FrenchMarketCuration {
    /// NUVA code → marketed in France.
    static let flags: [String: Bool] = [
        // Not a vaccine but dispensed in France for infant RSV prevention; NUVA has no CIS for it.
        "VAC1046": true,   // BEYFORTUS 50 MG
        "VAC1050": true,   // BEYFORTUS 100 MG
        // Withdrawn or replaced products that keep their CIS in NUVA.
        "VAC0025": false,  // PREVENAR (7-valent), replaced by PREVENAR 13 in 2010
        "VAC0063": false,  // TETRACOQ (whole-cell pertussis), withdrawn
        "VAC0064": false,  // PENTACOQ (whole-cell pertussis), withdrawn
        "VAC0004": false,  // D.T. POLIO MERIEUX, withdrawn in 2008
        "VAC0080": false,  // BCG PASTEUR, replaced by the AJVaccines (SSI) BCG
        "VAC0161": false,  // ZOSTAVAX, replaced by SHINGRIX
        // Kept from the hand-made list (not launched or not sold in France, unverified).
        "VAC0121": false,  // PRIORIX-TETRA
        "VAC0521": false,  // FLUENZ TETRA
        "VAC1254": false,  // CAPVAXIVE
        "VAC1262": false,  // MRESVIA
    ]

    static func apply(_ products: inout [VaccineProduct]) {
        for i in products.indices {
            if let code = products[i].nuva, let flag = flags[code] { products[i].marketedInFrance = flag }
        }
    }
}
