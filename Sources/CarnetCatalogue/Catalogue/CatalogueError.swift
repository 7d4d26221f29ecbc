/// Why a catalogue could not be built. Every case names the file at fault so that the
/// message shown to a user points at something they can fix.
public enum CatalogueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file or directory could not be opened or read (missing, permissions, too large, not UTF-8).
    case unreadable(file: String, reason: String)
    /// The file is not in the expected YAML subset.
    case malformed(file: String, line: Int, reason: String)
    /// A required field is missing or has the wrong shape.
    case invalidField(file: String, field: String, reason: String)
    /// A reference to a valence or disease that the release does not define.
    case danglingReference(file: String, code: String)
    /// A directory of the release holds no entries at all.
    case empty(file: String)

    /// The file (or directory) the error is about.
    public var file: String {
        switch self {
        case .unreadable(let f, _), .malformed(let f, _, _), .invalidField(let f, _, _),
             .danglingReference(let f, _), .empty(let f):
            return f
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let f, let r): return "\(f): unreadable (\(r))"
        case .malformed(let f, let l, let r): return "\(f):\(l): malformed YAML (\(r))"
        case .invalidField(let f, let field, let r): return "\(f): field '\(field)': \(r)"
        case .danglingReference(let f, let c): return "\(f): unknown reference \(c)"
        case .empty(let f): return "\(f): no entries"
        }
    }

    /// The same message in French, for the doctors who read it.
    public var frenchDescription: String {
        switch self {
        case .unreadable(let f, let r): return "\(f) : fichier illisible (\(r))"
        case .malformed(let f, let l, let r): return "\(f), ligne \(l) : YAML invalide (\(r))"
        case .invalidField(let f, let field, let r): return "\(f) : champ « \(field) » invalide (\(r))"
        case .danglingReference(let f, let c): return "\(f) : référence inconnue \(c)"
        case .empty(let f): return "\(f) : aucune entrée"
        }
    }
}
