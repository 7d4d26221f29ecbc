internal import CarnetCatalogue
internal import CarnetJSON
internal import CarnetWire
internal import Synchronization

/// Each product's search entry (`VaccineExpansionEntry`), serialised once per catalogue: a
/// search copies these bytes into its answer instead of building and writing a JSON tree for
/// every result (building and freeing the trees was half of a search's time,
/// docs/performance.md).
///
/// Filled at first use of each product; emptied when the catalogue in use changes (an import).
/// It holds the catalogue it was filled from, so an identity comparison cannot mistake a new
/// catalogue for a freed one. At most one entry per product (≈ 1 KB each).
final class VaccineEntryCache: Sendable {
    private struct Filled {
        var catalogue: VaccineCatalogue?
        var entries: [Int: [UInt8]] = [:]
    }

    private let state = Mutex(Filled())

    /// The serialised entries of `indices` (positions in `catalogue.products`), in order.
    func entries(of indices: [Int], in catalogue: VaccineCatalogue) -> [[UInt8]] {
        state.withLock { filled in
            if filled.catalogue !== catalogue { filled = Filled(catalogue: catalogue) }
            return indices.compactMap { index -> [UInt8]? in
                if let bytes = filled.entries[index] { return bytes }
                guard catalogue.products.indices.contains(index) else { return nil }
                let bytes = Self.entry(catalogue.products[index]).serializedUTF8()
                filled.entries[index] = bytes
                return bytes
            }
        }
    }

    static func entry(_ product: VaccineProduct) -> JSONValue {
        VaccineExpansionEntry(
            name: product.name, cisCodes: product.cisCodes, nuva: product.nuva, atc: product.atc,
            targetDiseases: product.targetDiseases.map(\.label), marketedInFrance: product.marketedInFrance
        ).json
    }
}
