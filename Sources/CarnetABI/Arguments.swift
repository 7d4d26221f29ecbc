internal import CCarnet
internal import CarnetCore
internal import CarnetJSON
#if canImport(Glibc)
internal import Glibc
#endif

/// Reading what the host passes in: every C string is checked for NULL,
/// emptiness, size and UTF-8 before it becomes a Swift `String` (a copy, so
/// the host may free its buffer as soon as the call returns).
enum Arguments {
    /// Default ceiling for a string argument.
    static let defaultMaxBytes = 1 << 20

    static func requiredString(
        _ pointer: UnsafePointer<CChar>?, name: String, maxBytes: Int = defaultMaxBytes
    ) throws(CarnetFailure) -> String {
        guard let pointer else { throw .invalidArgument(.missingArgument(name)) }
        return try string(pointer, name: name, maxBytes: maxBytes)
    }

    /// NULL means "not set"; anything else must be a valid, non-empty string.
    static func optionalString(
        _ pointer: UnsafePointer<CChar>?, name: String, maxBytes: Int = defaultMaxBytes
    ) throws(CarnetFailure) -> String? {
        guard let pointer else { return nil }
        return try string(pointer, name: name, maxBytes: maxBytes)
    }

    private static func string(
        _ pointer: UnsafePointer<CChar>, name: String, maxBytes: Int
    ) throws(CarnetFailure) -> String {
        // strnlen never reads past maxBytes + 1, however long the host's buffer.
        let length = strnlen(pointer, maxBytes + 1)
        guard length <= maxBytes else { throw .invalidArgument(.argumentTooLong(name, maxBytes: maxBytes)) }
        guard length > 0 else { throw .invalidArgument(.emptyArgument(name)) }
        let bytes = UnsafeRawPointer(pointer).bindMemory(to: UInt8.self, capacity: length)
        guard let text = String(validating: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self) else {
            throw .invalidArgument(.notUTF8(name))
        }
        return text
    }

    /// A JSON document argument: a string within 1 MiB (or `maxBytes`), parsed strictly
    /// (no duplicate keys, bounded depth).
    static func requiredJSON(
        _ pointer: UnsafePointer<CChar>?, name: String, maxBytes: Int = defaultMaxBytes
    ) throws(CarnetFailure) -> JSONValue {
        let text = try requiredString(pointer, name: name, maxBytes: maxBytes)
        do {
            return try JSONValue.parse(text, limits: JSONLimits(maxBytes: maxBytes, maxDepth: 32))
        } catch {
            throw .invalidArgument(.invalidJSON(name))
        }
    }

    static func patientID(_ pointer: UnsafePointer<CChar>?) throws(CarnetFailure) -> HostPatientID {
        try HostPatientID(requiredString(pointer, name: "patient_id", maxBytes: HostPatientID.maxBytes))
    }

    static func requiredPointer<T>(
        _ pointer: UnsafeMutablePointer<T>?, name: String
    ) throws(CarnetFailure)
        -> UnsafeMutablePointer<T>
    {
        guard let pointer else { throw .invalidArgument(.missingArgument(name)) }
        return pointer
    }
}
