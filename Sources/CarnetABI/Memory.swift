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
        var utf8 = Array(text.utf8)
        utf8.append(0)
        guard let memory = malloc(utf8.count) else {
            throw CarnetFailure(.outOfMemory, domain: .internalError, message: .internalError("malloc failed"))
        }
        utf8.withUnsafeBytes { bytes in
            if let source = bytes.baseAddress { memory.copyMemory(from: source, byteCount: bytes.count) }
        }
        return memory.assumingMemoryBound(to: CChar.self)
    }
}

@c @implementation
public func carnet_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
