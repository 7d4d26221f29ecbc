/// A scanned vaccine box: the product it names and the fields of the dose to record.
public struct BoxScan: Sendable, Equatable {
    public var code: GS1Code
    public var product: VaccineProduct
    /// The box's CIP13 (the GTIN without its leading 0).
    public var cip13: String
    /// True when the expiry (AI 17) is before the date given to `scanBox`.
    public var isExpired: Bool

    /// Ready for an Immunization: `vaccineCode.coding` (CIS, CIP13, NUVA, ATC), `lotNumber`,
    /// `expirationDate` (yyyy-mm-dd).
    public var immunizationFields: ImmunizationFields {
        ImmunizationFields(vaccineCodings: product.codings(cip13: cip13), lotNumber: code.lot,
                           expirationDate: code.expiry?.iso)
    }
}

/// The parts of a FHIR Immunization that a box gives.
public struct ImmunizationFields: Sendable, Equatable {
    public var vaccineCodings: [VaccineCoding]
    public var lotNumber: String?
    public var expirationDate: String?
}

extension VaccineCatalogue {
    /// Reads what a 2D scanner typed from a vaccine box (GS1 DataMatrix: element string, `(AI)`
    /// form or Digital Link, see `GS1Code`) and finds its product by CIP13. `today` decides
    /// `isExpired` and the century of two-digit years. An expired box is returned, flagged: the
    /// caller decides (warn, refuse); a code that names no product throws `.unknownGTIN`.
    public func scanBox(_ scanned: String, today: CivilDate) throws(BoxScanError) -> BoxScan {
        let code = try GS1Code.parse(scanned, referenceDate: today)
        guard let cip13 = code.cip13 else { throw .unknownGTIN(gtin: code.gtin, cip13: nil) }
        guard let product = products(code: cip13).first(where: { $0.cip13.contains(cip13) }) else {
            throw .unknownGTIN(gtin: code.gtin, cip13: cip13)
        }
        return BoxScan(code: code, product: product, cip13: cip13, isExpired: code.expiry.map { $0 < today } ?? false)
    }
}
