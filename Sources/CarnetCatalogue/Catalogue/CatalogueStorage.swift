/// Carrying a catalogue through the store: bytes out, bytes back in, so that an imported
/// release survives a restart without its directory.
extension VaccineCatalogue {
    /// The catalogue in the "carnet-catalogue 1" text format (UTF-8, ≈ 190 kB for a whole NUVA
    /// release): products, valences, diseases and `info` (version, date, source, attribution).
    public func serialized() -> [UInt8] {
        CatalogueSnapshot.encode(info: info, products: products)
    }

    /// Loads bytes written by `serialized()`. All or nothing: damaged or truncated bytes throw a
    /// `CatalogueError` naming `source` (what to tell the user the bytes came from) and the line.
    /// The result's `info.origin` is `.stored`; its version, date and attribution are the saved ones.
    public convenience init(serialized bytes: [UInt8], source: String = "stored catalogue") throws(CatalogueError) {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<CatalogueSnapshot.Decoded, CatalogueError> in
            do throws(CatalogueError) {
                return .success(try CatalogueSnapshot.decode(buffer, file: source, origin: .stored))
            } catch {
                return .failure(error)
            }
        }
        let decoded = try result.get()
        self.init(products: decoded.products, info: decoded.info)
    }
}
