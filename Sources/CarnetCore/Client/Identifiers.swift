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
        let lower = text.lowercased()
        let groups = lower.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12],
            groups.allSatisfy({ $0.allSatisfy { $0.isHexDigit && $0.isASCII } })
        else { return nil }
        value = lower
    }

    public init(validating text: String, argumentName: String = "carnet_id") throws(CarnetFailure) {
        guard let id = RecordID(text) else {
            throw .invalidArgument(.invalidField(argumentName, reason: .notUUID))
        }
        self = id
    }
}
