internal import CCarnet
internal import CarnetCore
#if canImport(Glibc)
internal import Glibc
#endif

/// Strings handed to the host are malloc'd copies, so the host can keep them
/// as long as it likes and free them with carnet_string_free().
enum OwnedCString {
    /// A malloc'd NUL-terminated copy of `text`, or nil if memory is exhausted.
    static func make(_ text: String) -> UnsafeMutablePointer<CChar>? {
        var utf8 = Array(text.utf8)
        utf8.append(0)
        guard let memory = malloc(utf8.count) else { return nil }
        utf8.withUnsafeBytes { bytes in
            if let source = bytes.baseAddress { memory.copyMemory(from: source, byteCount: bytes.count) }
        }
        return memory.assumingMemoryBound(to: CChar.self)
    }
}

extension OwnedCString {
    static func makeOrFail(_ text: String) throws(CarnetFailure) -> UnsafeMutablePointer<CChar> {
        guard let copy = make(text) else {
            throw CarnetFailure(.outOfMemory, domain: .internalError, message: .internalError("malloc failed"))
        }
        return copy
    }
}

@c @implementation
public func carnet_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
