/// The host's own identifier of a patient: opaque to Carnet, never sent to
/// the service, never logged. Any non-empty UTF-8 text up to 256 bytes without
/// control characters.
public struct HostPatientID: Sendable, Hashable {
    public static let maxBytes = 256
    public let value: String

    public init(_ value: String, argumentName: String = "patient_id") throws(CarnetFailure) {
        guard !value.isEmpty else { throw .invalidArgument(.emptyArgument(argumentName)) }
        guard value.utf8.count <= Self.maxBytes else {
            throw .invalidArgument(.argumentTooLong(argumentName, maxBytes: Self.maxBytes))
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidArgument(.invalidField(argumentName, reason: .unknownValue))
        }
        self.value = value
    }
}

/// A record's id on the service (the patient's carnet — "record" in code, docs/abi.md): the FHIR
/// Patient id, a UUID, kept in its canonical lowercase 8-4-4-4-12 form. The C API and the JSON
/// documents keep the name `carnet_id`, which hosts already parse.
public struct RecordID: Sendable, Hashable {
    public let value: String

    /// nil unless `text` is a UUID (any case).
    public init?(_ text: String) {
        // On the UTF-8 bytes: this runs on every lookup of a link (carnet_link_get).
        var upper = false
        var count = 0
        for byte in text.utf8 {
            defer { count += 1 }
            guard count < 36 else { return nil }
            switch byte {
            case UInt8(ascii: "-"): guard count == 8 || count == 13 || count == 18 || count == 23 else { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                guard count != 8, count != 13, count != 18, count != 23 else { return nil }
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                guard count != 8, count != 13, count != 18, count != 23 else { return nil }
                upper = true
            default: return nil
            }
        }
        guard count == 36 else { return nil }
        value = upper ? text.lowercased() : text
    }

    public init(validating text: String, argumentName: String = "carnet_id") throws(CarnetFailure) {
        guard let id = RecordID(text) else {
            throw .invalidArgument(.invalidField(argumentName, reason: .notUUID))
        }
        self = id
    }
}
