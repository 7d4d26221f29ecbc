internal import Synchronization

/// The catalogue in use, swappable at run time from any thread.
///
/// Readers take the current catalogue (a reference to an immutable object) and keep using it
/// for their whole operation: a swap never changes a catalogue under a reader, it only decides
/// what the next reader gets. `importRelease` builds the new catalogue entirely before the swap,
/// so a refused release leaves the one in use untouched.
public final class ActiveCatalogue: Sendable {
    /// nil: the built-in snapshot, built at its first use (a search, a document to check), not
    /// when a client opens: opening stays a few milliseconds (docs/performance.md).
    private let slot: Mutex<VaccineCatalogue?>

    /// Starts with the built-in snapshot, built when first used.
    public init() {
        slot = Mutex(nil)
    }

    /// Starts with `catalogue`.
    public init(_ catalogue: VaccineCatalogue) {
        slot = Mutex(catalogue)
    }

    /// The process-wide catalogue in use, for code without a handle of its own.
    public static let shared = ActiveCatalogue()

    /// The catalogue in use now.
    public var current: VaccineCatalogue {
        slot.withLock { $0 } ?? .builtIn
    }

    /// Puts `catalogue` in use; returns the one it replaces.
    @discardableResult
    public func replace(with catalogue: VaccineCatalogue) -> VaccineCatalogue {
        slot.withLock { current in
            let previous = current ?? .builtIn
            current = catalogue
            return previous
        }
    }

    /// Imports a NUVA release directory and puts it in use. On error nothing changes.
    /// Returns the new catalogue (persist its `serialized()` to find it again at the next start).
    @discardableResult
    public func importRelease(directory: String, mode: VaccineCatalogue.ImportMode = .replace)
        throws(CatalogueError) -> VaccineCatalogue
    {
        let catalogue = try VaccineCatalogue.importNUVA(directory: directory, mode: mode)
        replace(with: catalogue)
        return catalogue
    }

    /// Loads bytes saved from `serialized()` and puts them in use. On error nothing changes.
    @discardableResult
    public func restore(serialized bytes: [UInt8], source: String = "stored catalogue")
        throws(CatalogueError) -> VaccineCatalogue
    {
        let catalogue = try VaccineCatalogue(serialized: bytes, source: source)
        replace(with: catalogue)
        return catalogue
    }

    /// Back to the built-in snapshot (e.g. when the stored catalogue is older than the library's).
    public func reset() {
        slot.withLock { $0 = nil }
    }
}
