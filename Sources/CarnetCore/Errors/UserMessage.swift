/// What the doctor reads when something fails, in French by default.
///
/// A message may name a field or an option (host-side vocabulary) but never
/// carries a value the doctor or the patient typed: no names, dates, codes or
/// secrets, so messages are safe to log and to show.
public enum UserMessage: Sendable, Equatable {
    case missingArgument(String)
    case emptyArgument(String)
    case notUTF8(String)
    case argumentTooLong(String, maxBytes: Int)
    case invalidField(String, reason: FieldProblem)
    case unsupportedOptionsVersion(UInt32)
    case storeDirectoryUnusable
    case storeNewerThanLibrary(found: Int, supported: Int)
    case storageFailed
    case storageFull
    case storeLocked
    case cancelled
    case noLinkedCarnet
    case internalError(String)

    public enum FieldProblem: Sendable, Equatable {
        case notHTTPSURL
        case notUUID
        case outOfRange
        case unknownValue
    }

    public func text(_ locale: Locale) -> String {
        switch locale {
        case .french: return french
        case .english: return english
        }
    }

    public enum Locale: Sendable {
        case french, english
    }

    var french: String {
        switch self {
        case .missingArgument(let name): return "Paramètre manquant : « \(name) »."
        case .emptyArgument(let name): return "Le paramètre « \(name) » est vide."
        case .notUTF8(let name): return "Le paramètre « \(name) » n'est pas un texte UTF-8 valide."
        case .argumentTooLong(let name, let max):
            return "Le paramètre « \(name) » est trop long (\(max) octets au maximum)."
        case .invalidField(let name, .notHTTPSURL):
            return "Le paramètre « \(name) » doit être une adresse https:// valide."
        case .invalidField(let name, .notUUID):
            return "Le paramètre « \(name) » doit être un identifiant de carnet (UUID)."
        case .invalidField(let name, .outOfRange):
            return "La valeur du paramètre « \(name) » est hors des limites admises."
        case .invalidField(let name, .unknownValue):
            return "La valeur du paramètre « \(name) » n'est pas reconnue."
        case .unsupportedOptionsVersion(let v):
            return "Version des options non prise en charge (\(v)) : mettez à jour Carnet ou votre logiciel."
        case .storeDirectoryUnusable:
            return "Le dossier de stockage local de Carnet est inaccessible. Vérifiez qu'il existe et que vous avez le droit d'y écrire."
        case .storeNewerThanLibrary(let found, let supported):
            return "Les données locales de Carnet ont été créées par une version plus récente (schéma \(found), cette version connaît \(supported)). Mettez Carnet à jour."
        case .storageFailed:
            return "Les données locales de Carnet n'ont pas pu être lues ou enregistrées."
        case .storageFull:
            return "Le disque est plein : Carnet ne peut rien enregistrer. Libérez de la place puis réessayez."
        case .storeLocked:
            return "Les données locales de Carnet sont utilisées par un autre programme. Réessayez dans un instant."
        case .cancelled:
            return "L'opération a été annulée."
        case .noLinkedCarnet:
            return "Aucun carnet de vaccination électronique n'est associé à ce patient."
        case .internalError:
            return "Erreur interne de Carnet. Merci de la signaler à votre éditeur avec le journal."
        }
    }

    var english: String {
        switch self {
        case .missingArgument(let name): return "Missing argument: \"\(name)\"."
        case .emptyArgument(let name): return "Argument \"\(name)\" is empty."
        case .notUTF8(let name): return "Argument \"\(name)\" is not valid UTF-8 text."
        case .argumentTooLong(let name, let max): return "Argument \"\(name)\" is too long (at most \(max) bytes)."
        case .invalidField(let name, .notHTTPSURL): return "Argument \"\(name)\" must be a valid https:// URL."
        case .invalidField(let name, .notUUID): return "Argument \"\(name)\" must be a carnet id (UUID)."
        case .invalidField(let name, .outOfRange): return "Argument \"\(name)\" is out of range."
        case .invalidField(let name, .unknownValue): return "Argument \"\(name)\" has an unknown value."
        case .unsupportedOptionsVersion(let v):
            return "Unsupported options version (\(v)): update Carnet or your software."
        case .storeDirectoryUnusable:
            return "Carnet's local store directory cannot be used. Check that it exists and is writable."
        case .storeNewerThanLibrary(let found, let supported):
            return "Carnet's local data was written by a newer version (schema \(found), this version knows \(supported)). Update Carnet."
        case .storageFailed: return "Carnet's local data could not be read or written."
        case .storageFull: return "The disk is full: Carnet cannot save anything. Free some space and try again."
        case .storeLocked: return "Carnet's local data is in use by another program. Try again in a moment."
        case .cancelled: return "The operation was cancelled."
        case .noLinkedCarnet: return "No electronic vaccination record is linked to this patient."
        case .internalError: return "Internal Carnet error. Please report it to your software vendor with the log."
        }
    }
}
