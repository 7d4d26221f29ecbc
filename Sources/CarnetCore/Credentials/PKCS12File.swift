internal import COpenSSL

/// A professional's certificate and key delivered as a password-protected
/// PKCS#12 file (the guide's import wizard).
///
/// Decision (docs/security.md): files encrypted with the legacy algorithms
/// OpenSSL 3 disables (RC2-40, 3DES, as written by old Windows exports) are
/// refused with their own message asking for a modern (AES-256) export,
/// rather than re-enabling broken ciphers through the legacy provider.
struct PKCS12File {
    let certificatePEM: [UInt8]
    let chainPEM: [UInt8]
    let privateKeyPEM: SecretBytes

    static let maxBytes = 1 << 20

    static func read(_ data: [UInt8], password: String) throws(CarnetFailure) -> PKCS12File {
        var cert: UnsafeMutablePointer<CChar>?
        var key: UnsafeMutablePointer<CChar>?
        var chain: UnsafeMutablePointer<CChar>?
        let result = data.withUnsafeBufferPointer { buffer in
            copenssl_pkcs12_read(buffer.baseAddress, buffer.count, password, &cert, &key, &chain)
        }
        defer {
            if let cert { copenssl_free(cert) }
            if let chain { copenssl_free(chain) }
            freeSecretCString(key)
        }
        switch Int(result) {
        case Int(COPENSSL_P12_OK):
            guard let cert, let key, let chain else { throw .internal("PKCS#12 outputs missing") }
            return PKCS12File(
                certificatePEM: Array(String(cString: cert).utf8),
                chainPEM: Array(String(cString: chain).utf8),
                privateKeyPEM: SecretBytes(copying: key))
        case Int(COPENSSL_P12_WRONG_PASSWORD):
            throw CarnetFailure(.pkcs12Password, domain: .credentials, code: result, message: .pkcs12WrongPassword)
        case Int(COPENSSL_P12_LEGACY):
            throw CarnetFailure(.pkcs12Unsupported, domain: .credentials, code: result, message: .pkcs12Legacy)
        case Int(COPENSSL_P12_INCOMPLETE):
            throw CarnetFailure(.credentials, domain: .credentials, code: result, message: .pkcs12Incomplete)
        default:
            throw CarnetFailure(.invalidArgument, domain: .credentials, code: result, message: .pkcs12Malformed)
        }
    }
}
