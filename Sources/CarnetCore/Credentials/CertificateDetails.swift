internal import COpenSSL

/// What the host shows about the professional's certificate ("carnet_certificate_info").
public struct CertificateDetails: Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var commonName: String
    public var serialHex: String
    public var notBefore: Int64
    public var notAfter: Int64
    public var sha256: [UInt8]

    /// Parses the first certificate of a PEM text; nil when it is not one.
    public init?(pem: [UInt8]) {
        var details = copenssl_certificate_details()
        let ok = pem.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { copenssl_certificate_info($0.baseAddress, $0.count, &details) }
        }
        guard ok == 1 else { return nil }
        subject = CertificateDetails.string(&details.subject)
        issuer = CertificateDetails.string(&details.issuer)
        commonName = CertificateDetails.string(&details.common_name)
        serialHex = CertificateDetails.string(&details.serial_hex)
        notBefore = details.not_before
        notAfter = details.not_after
        sha256 = withUnsafeBytes(of: &details.sha256) { Array($0) }
    }

    public func isExpired(at now: Int64) -> Bool { now > notAfter }
    public func isNotYetValid(at now: Int64) -> Bool { now < notBefore }

    /// Whole days left until expiry (negative once expired).
    public func daysLeft(at now: Int64) -> Int64 {
        // Both are years 0001-9999 in practice; clamp so arithmetic cannot trap.
        let limit: Int64 = 1 << 40
        let remaining = min(max(notAfter, -limit), limit) - min(max(now, -limit), limit)
        return remaining >= 0 ? remaining / 86_400 : -((-remaining + 86_399) / 86_400)
    }

    private static func string<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
