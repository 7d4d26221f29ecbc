internal import CCarnet
internal import CarnetCore
#if canImport(Glibc)
internal import Glibc
#endif

/// Strings handed to the host are malloc'd copies, so the host can keep them
/// as long as it likes and free them with carnet_string_free().
enum OwnedCString {
    /// A malloc'd NUL-terminated copy of `text`; CARNET_E_OUT_OF_MEMORY if
    /// malloc fails (reported, never a crash).
    static func makeOrFail(_ text: String) throws(CarnetFailure) -> UnsafeMutablePointer<CChar> {
        try Array(text.utf8).withUnsafeBufferPointer { bytes throws(CarnetFailure) in try makeOrFail(bytes) }
    }

    /// A malloc'd, NUL-terminated copy of UTF-8 bytes (a JSON document as serialised).
    static func makeOrFail(_ bytes: UnsafeBufferPointer<UInt8>) throws(CarnetFailure) -> UnsafeMutablePointer<CChar> {
        guard let memory = malloc(bytes.count + 1) else {
            throw CarnetFailure(.outOfMemory, domain: .internalError, message: .internalError("malloc failed"))
        }
        if let source = bytes.baseAddress { memory.copyMemory(from: source, byteCount: bytes.count) }
        memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        return memory.assumingMemoryBound(to: CChar.self)
    }
}

@c @implementation
public func carnet_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
