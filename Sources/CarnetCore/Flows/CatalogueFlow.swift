public import CarnetJSON
internal import CarnetCatalogue
internal import CarnetWire

/// The vaccine catalogue of this client: what it is (NUVA release, attribution), a newer release
/// imported at run time, and the box a doctor scans ("scanner la boîte").
extension CarnetClient {
    /// Version, product count, source and attribution of the catalogue in use.
    public func catalogueInfo() -> JSONValue {
        CarnetClient.describe(catalogue.current.info)
    }

    /// Imports a NUVA release directory: all or nothing, persisted in the store (it survives a
    /// restart), then in use. A malformed release is refused naming the file; the catalogue in use
    /// is untouched.
    public func importCatalogue(directory: String) throws(CarnetFailure) -> JSONValue {
        let imported: VaccineCatalogue
        do throws(CatalogueError) {
            imported = try VaccineCatalogue.importNUVA(directory: directory, mode: .replace)
        } catch {
            logger.log(.warning, "catalogue import refused")
            throw .invalidArgument(.catalogueRefused(french: error.frenchDescription, english: error.description))
        }
        try store.storeCatalogue(imported.serialized())
        catalogue.replace(with: imported)
        logger.log(.info, "catalogue imported: \(imported.info.productCount) products")
        return CarnetClient.describe(imported.info)
    }

    /// What a 2D scanner typed from a vaccine box (GS1 DataMatrix): the product, lot, expiry,
    /// serial, and the Immunization fields to fill. An expired box is returned, flagged.
    public func scanBox(_ scanned: String) throws(CarnetFailure) -> JSONValue {
        let today = configuration.today()
        let scan: BoxScan
        do throws(BoxScanError) {
            scan = try catalogue.current.scanBox(scanned, today: today)
        } catch {
            throw .invalidArgument(.boxUnreadable(french: error.frenchDescription, english: error.description))
        }
        var result: JSONValue = [
            "gtin": .string(scan.code.gtin), "cip13": .string(scan.cip13),
            "product": CarnetClient.describe(scan.product), "expired": .bool(scan.isExpired),
        ]
        result["lot"] = scan.code.lot.map(JSONValue.string)
        result["expiry"] = scan.code.expiry.map { .string($0.iso) }
        result["serial"] = scan.code.serial.map(JSONValue.string)
        let fields = scan.immunizationFields
        var immunization: JSONValue = [
            "resourceType": "Immunization",
            "vaccineCode": ["coding": .array(fields.vaccineCodings.map(CarnetClient.coding))],
        ]
        immunization["lotNumber"] = fields.lotNumber.map(JSONValue.string)
        immunization["expirationDate"] = fields.expirationDate.map(JSONValue.string)
        result["immunization"] = immunization
        return result
    }

    static func describe(_ info: CatalogueInfo) -> JSONValue {
        [
            "version": .string(info.version), "release_date": .string(info.releaseDate),
            "product_count": .number(String(info.productCount)), "source": .string(info.source),
            "origin": .string(info.origin.rawValue), "attribution": .string(info.attribution),
            "license": .string(info.license),
        ]
    }

    static func describe(_ product: VaccineProduct) -> JSONValue {
        var out: JSONValue = ["name": .string(product.name), "marketed_in_france": .bool(product.marketedInFrance)]
        out["cis"] = product.cis.map(JSONValue.string)
        out["nuva"] = product.nuva.map(JSONValue.string)
        out["atc"] = product.atc.map(JSONValue.string)
        out["target_diseases"] = .array(product.targetDiseases.map { .string($0.label) })
        return out
    }

    static func coding(_ coding: VaccineCoding) -> JSONValue {
        var out: JSONValue = ["system": .string(coding.system), "code": .string(coding.code)]
        out["display"] = coding.display.map(JSONValue.string)
        return out
    }
}
