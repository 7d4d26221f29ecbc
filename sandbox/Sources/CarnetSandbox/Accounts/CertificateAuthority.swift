// The sandbox's certificate authority: creates itself on first start, issues the server
// certificate and professionals' client certificates (from a PKCS#10 request), and signs CRLs.

import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1
import X509

struct PKIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Facts about one issued client certificate.
struct IssuedCertificate {
    let certificate: Certificate
    let pem: String
    let serialHex: String
    let thumbprint: String  // SHA-256 of the DER, hex (also the RFC 8705 x5t#S256 in base64url)
    let thumbprintB64: String
}

final class CertificateAuthority: @unchecked Sendable {
    let key: P256.Signing.PrivateKey
    let certificate: Certificate
    let certificatePEM: String

    /// How long a client certificate is valid: one year, or what `serve
    /// --client-certificate-days` says (set once at start, before any request; shorter lets a
    /// test reach the renewal window without waiting).
    var clientValidity: TimeInterval = 365 * 24 * 3600

    init(key: P256.Signing.PrivateKey, certificate: Certificate) throws {
        self.key = key
        self.certificate = certificate
        self.certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
    }

    /// Loads the CA from `directory`, creating the CA and the server certificate on first start.
    static func loadOrCreate(in paths: DataPaths) throws -> CertificateAuthority {
        let fm = FileManager.default
        if fm.fileExists(atPath: paths.caKey), fm.fileExists(atPath: paths.caCert) {
            let key = try P256.Signing.PrivateKey(
                pemRepresentation: String(contentsOfFile: paths.caKey, encoding: .utf8))
            let cert = try Certificate(pemEncoded: String(contentsOfFile: paths.caCert, encoding: .utf8))
            let ca = try CertificateAuthority(key: key, certificate: cert)
            if !fm.fileExists(atPath: paths.serverCert) || !fm.fileExists(atPath: paths.serverKey) {
                try ca.writeServerCertificate(paths: paths)
            }
            return ca
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("Carnet sandbox")
            CommonName("Carnet sandbox CA")
        }
        let now = Date()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: randomSerial()), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 24 * 3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        let ca = try CertificateAuthority(key: key, certificate: cert)
        try Files.writeSecret(key.pemRepresentation, to: paths.caKey)
        try Files.write(ca.certificatePEM, to: paths.caCert)
        try ca.writeServerCertificate(paths: paths)
        return ca
    }

    static func randomSerial() -> [UInt8] {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = (bytes[0] & 0x7F) | 0x10  // positive, 16 significant bytes
        return bytes
    }

    private var authorityKeyIdentifier: AuthorityKeyIdentifier {
        AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier)
    }

    /// Server certificate for localhost, 127.0.0.1 and ::1 (SAN only, serverAuth), 2 years.
    func writeServerCertificate(paths: DataPaths) throws {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        let loopback6: [UInt8] = Array(repeating: 0, count: 15) + [1]
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: CertificateAuthority.randomSerial()),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(2 * 365 * 24 * 3600),
            issuer: certificate.subject,
            subject: try DistinguishedName {
                OrganizationName("Carnet sandbox"); CommonName("localhost")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice(loopback6))),
                ])
                authorityKeyIdentifier
            },
            issuerPrivateKey: Certificate.PrivateKey(self.key))
        try Files.writeSecret(key.pemRepresentation, to: paths.serverKey)
        try Files.write(try cert.serializeAsPEM().pemString + "\n" + certificatePEM, to: paths.serverCert)
    }

    /// Parses a PKCS#10 request given as PEM or base64 DER and checks its self-signature and key.
    static func parseRequest(_ body: [UInt8]) throws -> CertificateSigningRequest {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let csr: CertificateSigningRequest
        do {
            if text.hasPrefix("-----BEGIN") {
                csr = try CertificateSigningRequest(pemEncoded: text)
            } else {
                let compact = text.filter { !$0.isWhitespace }
                guard let der = Data(base64Encoded: compact) else {
                    throw PKIError("the body is neither PEM nor base64 DER")
                }
                csr = try CertificateSigningRequest(derEncoded: Array(der))
            }
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError(
                "the certificate request is not a valid PKCS#10 request with a supported key (ECDSA "
                    + "P-256/P-384 or RSA >= 2048 bits)"
            )
        }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw PKIError("the certificate request's signature does not verify")
        }
        if let rsa = _RSA.Signing.PublicKey(csr.publicKey) {
            guard rsa.keySizeInBits >= 2048 else { throw PKIError("RSA keys must have at least 2048 bits") }
        } else if P256.Signing.PublicKey(csr.publicKey) == nil, P384.Signing.PublicKey(csr.publicKey) == nil {
            throw PKIError("unsupported key type: use ECDSA P-256/P-384 or RSA >= 2048 bits")
        }
        return csr
    }

    /// Issues a client certificate (one year by default) (clientAuth) whose subject names the professional.
    func issueClientCertificate(
        publicKey: Certificate.PublicKey, for professional: Professional
    ) throws -> IssuedCertificate {
        let now = Date()
        let serial = CertificateAuthority.randomSerial()
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: serial), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(clientValidity),
            issuer: certificate.subject,
            subject: try DistinguishedName {
                OrganizationName("Carnet sandbox")
                OrganizationalUnitName("RPPS \(professional.rpps)")
                CommonName(professional.name)
                EmailAddress(professional.email)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
                SubjectAlternativeNames([.rfc822Name(professional.email)])
                authorityKeyIdentifier
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        let pem = try cert.serializeAsPEM().pemString + "\n"
        var serializer = DER.Serializer()
        try serializer.serialize(cert)
        let digest = Array(SHA256.hash(data: serializer.serializedBytes))
        return IssuedCertificate(
            certificate: cert, pem: pem, serialHex: Hex.encode(serial),
            thumbprint: Hex.encode(digest), thumbprintB64: Base64URL.encode(digest))
    }

    // MARK: CRL (RFC 5280 §5), DER by hand: swift-certificates has no CRL type.

    func crl(revoked: [(serialHex: String, revokedAtMs: Int64)], number: Int64) throws -> [UInt8] {
        var issuerSerializer = DER.Serializer()
        try issuerSerializer.serialize(certificate.subject)
        let issuer = issuerSerializer.serializedBytes
        let ecdsaWithSHA256: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]
        let algorithm = DERBytes.tlv(0x30, ecdsaWithSHA256)
        let now = Time.nowMs()
        var tbs: [UInt8] = []
        tbs += DERBytes.tlv(0x02, [0x01])  // version v2
        tbs += algorithm
        tbs += issuer
        tbs += DERBytes.utcTime(ms: now)  // thisUpdate
        tbs += DERBytes.utcTime(ms: now + 24 * 3600 * 1000)  // nextUpdate
        if !revoked.isEmpty {
            var list: [UInt8] = []
            for entry in revoked {
                list += DERBytes.tlv(
                    0x30, DERBytes.integer(hex: entry.serialHex) + DERBytes.utcTime(ms: entry.revokedAtMs))
            }
            tbs += DERBytes.tlv(0x30, list)
        }
        let crlNumberOID: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x14]
        let akiOID: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x23]
        let ski = Array(SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier)
        let crlNumber = DERBytes.tlv(0x30, crlNumberOID + DERBytes.tlv(0x04, DERBytes.integer(number)))
        let aki = DERBytes.tlv(0x30, akiOID + DERBytes.tlv(0x04, DERBytes.tlv(0x30, DERBytes.tlv(0x80, ski))))
        tbs += DERBytes.tlv(0xA0, DERBytes.tlv(0x30, crlNumber + aki))
        let tbsDER = DERBytes.tlv(0x30, tbs)
        let signature = try key.signature(for: tbsDER).derRepresentation
        return DERBytes.tlv(0x30, tbsDER + algorithm + DERBytes.tlv(0x03, [0x00] + Array(signature)))
    }
}

/// The few DER encodings the CRL needs.
enum DERBytes {
    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var value = n
        while value > 0 { bytes.insert(UInt8(value & 0xFF), at: 0); value >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }
    static func integer(_ value: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        var v = value
        repeat { bytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 } while v > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return tlv(0x02, bytes)
    }
    static func integer(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var chars = Array(hex)
        if chars.count % 2 == 1 { chars.insert("0", at: 0) }
        var i = 0
        while i + 1 < chars.count {
            bytes.append(UInt8(String(chars[i...i + 1]), radix: 16) ?? 0)
            i += 2
        }
        while bytes.count > 1, bytes[0] == 0, bytes[1] & 0x80 == 0 { bytes.removeFirst() }
        if let first = bytes.first, first & 0x80 != 0 { bytes.insert(0, at: 0) }
        return tlv(0x02, bytes.isEmpty ? [0] : bytes)
    }
    static func utcTime(ms: Int64) -> [UInt8] {
        let s = Time.instant(ms: ms)  // YYYY-MM-DDTHH:MM:SS.mmmZ
        let digits = s.filter(\.isNumber)
        let yymmddhhmmss = String(digits.dropFirst(2).prefix(12))
        return tlv(0x17, Array((yymmddhhmmss + "Z").utf8))
    }
}
