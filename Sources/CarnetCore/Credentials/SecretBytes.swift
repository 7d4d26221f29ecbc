internal import COpenSSL

/// Bytes that hold a secret (a private key in PEM, a derived key): wiped
/// from memory when the last reference goes away.
final class SecretBytes: @unchecked Sendable {
    /// Immutable after init; only `deinit` touches the storage again.
    private(set) var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    convenience init(copying pointer: UnsafePointer<CChar>) {
        let count = strlenBounded(pointer)
        self.init(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
    }

    deinit {
        let count = bytes.count
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { copenssl_cleanse(base, count) }
        }
    }

    var count: Int { bytes.count }
}

/// Length of a NUL-terminated string the C side produced (PEM texts are small).
func strlenBounded(_ pointer: UnsafePointer<CChar>, limit: Int = 1 << 22) -> Int {
    var n = 0
    while n < limit, pointer[n] != 0 { n += 1 }
    return n
}

/// Frees a secret string returned by COpenSSL after wiping it.
func freeSecretCString(_ pointer: UnsafeMutablePointer<CChar>?) {
    guard let pointer else { return }
    copenssl_cleanse(pointer, strlenBounded(pointer))
    copenssl_free(pointer)
}

func copenssl_key_matches_certificate_bridge(
    _ key: UnsafeBufferPointer<CChar>, _ certificate: UnsafeBufferPointer<CChar>
) -> Bool {
    copenssl_key_matches_certificate(key.baseAddress, key.count, certificate.baseAddress, certificate.count) == 1
}
