internal import COpenSSL

/// The first half of enrollment ("Récupérer le certificat"): a key pair made
/// on this workstation (EC P-256) and a PKCS#10 request to send with the
/// withdrawal code. The private key never leaves the machine unencrypted.
struct CertificateRequest {
    let privateKeyPEM: SecretBytes
    let requestPEM: String

    static func generate(commonName: String) throws(CarnetFailure) -> CertificateRequest {
        var key: UnsafeMutablePointer<CChar>?
        var csr: UnsafeMutablePointer<CChar>?
        let ok = copenssl_generate_key_and_csr(commonName, &key, &csr)
        defer {
            freeSecretCString(key)
            if let csr { copenssl_free(csr) }
        }
        guard ok == 1, let key, let csr else { throw .internal("key generation failed") }
        return CertificateRequest(privateKeyPEM: SecretBytes(copying: key), requestPEM: String(cString: csr))
    }
}
