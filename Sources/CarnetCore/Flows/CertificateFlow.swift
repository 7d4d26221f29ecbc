public import CarnetJSON
internal import CarnetWire
#if canImport(Glibc)
internal import Glibc
#endif

/// "Récupérer le certificat": the professional's client certificate, enrolled
/// with a withdrawal code or imported from a PKCS#12 file, and its details.
extension CarnetClient {
    /// Generates a key pair here, sends the certificate request with the
    /// withdrawal code (EST simpleenroll, code as the HTTP Basic password),
    /// and stores the certificate with the key sealed by the host's secret.
    public func enrollCertificate(withdrawalCode: String) throws(CarnetFailure) -> JSONValue {
        let token = cancellation.token()
        guard configuration.identitySecret != nil else {
            throw CarnetFailure(.identitySecret, domain: .credentials, message: .identitySecretMissing)
        }
        guard let base = configuration.enrollmentURL else { throw .invalidArgument(.serviceURLMissing) }
        let commonName = configuration.accountEmail ?? "carnet-professional"
        let request = try CertificateRequest.generate(commonName: commonName)
        let user = configuration.accountEmail ?? ""
        let credentials = Base64.encode(Array((user + ":" + withdrawalCode).utf8))
        let http = HTTPRequest(
            method: .post, url: base.text + WirePath.estSimpleEnroll,
            headers: [
                ("Content-Type", "application/pkcs10"), ("Accept", "application/pem-certificate-chain"),
                ("Authorization", "Basic " + credentials),
            ],
            body: Array(request.requestPEM.utf8), presentsClientCertificate: false)
        let response = try access.enrollmentTransport().perform(http, identity: nil, cancel: token, logger: logger)
        let details = try installIssued(response, for: request, operation: "enrollment")
        return CarnetClient.describe(details)
    }

    /// Renews the installed certificate before it expires (EST simplereenroll on the FHIR
    /// listener, authenticated by the current certificate over mutual TLS): a new key pair made
    /// here, the same common name, the new certificate installed with its key sealed by the
    /// host's secret. The old certificate stays valid on the service until it expires, so a
    /// lost answer is retried safely (the retry renews again). An expired certificate cannot
    /// renew itself: the doctor then needs a new withdrawal code.
    public func renewCertificate() throws(CarnetFailure) -> JSONValue {
        let token = cancellation.token()
        let current = try access.unlockedIdentity()
        guard let service = configuration.serviceURL else { throw .invalidArgument(.serviceURLMissing) }
        let request = try CertificateRequest.generate(commonName: current.details.commonName)
        let http = HTTPRequest(
            method: .post, url: service.origin.text + WirePath.estSimpleReenroll,
            headers: [("Content-Type", "application/pkcs10"), ("Accept", "application/pem-certificate-chain")],
            body: Array(request.requestPEM.utf8), presentsClientCertificate: true)
        let response = try access.fhirTransport(background: false).perform(
            http, identity: current, cancel: token, logger: logger)
        let details = try installIssued(response, for: request, operation: "renewal")
        return CarnetClient.describe(details)
    }

    /// The second half of enrollment and renewal: the service's answer (the certificate
    /// chain in PEM) checked against the key made here, then installed.
    private func installIssued(
        _ response: HTTPResponse, for request: CertificateRequest, operation: String
    ) throws(CarnetFailure) -> CertificateDetails {
        guard response.status == 200 || response.status == 201 else {
            logger.log(.warning, "certificate \(operation) refused: HTTP \(response.status)")
            throw ServiceFailures.map(response)
        }
        let certificates = PEM.certificates(in: response.body)
        guard let leaf = certificates.first else {
            throw CarnetFailure(
                .protocolViolation, domain: .http, code: Int32(clamping: response.status),
                message: .protocolViolation(.wrongContentType))
        }
        let chain = Array(certificates.dropFirst().joined())
        guard PEM.keyMatches(request.privateKeyPEM, certificate: leaf) else {
            throw CarnetFailure(
                .protocolViolation, domain: .credentials, message: .protocolViolation(.wrongResourceType))
        }
        return try access.install(certificatePEM: leaf, chainPEM: chain, key: request.privateKeyPEM)
    }

    /// Imports a certificate and key from a PKCS#12 file protected by a password.
    public func importCertificate(pkcs12Path: String, password: String) throws(CarnetFailure) -> JSONValue {
        let data = try FileReading.read(pkcs12Path, argumentName: "path", maxBytes: PKCS12File.maxBytes)
        let file = try PKCS12File.read(data, password: password)
        guard let details = CertificateDetails(pem: file.certificatePEM) else {
            throw CarnetFailure(.invalidArgument, domain: .credentials, message: .pkcs12Malformed)
        }
        try ServiceAccess.checkValidity(details)
        _ = try access.install(certificatePEM: file.certificatePEM, chainPEM: file.chainPEM, key: file.privateKeyPEM)
        return CarnetClient.describe(details)
    }

    public func certificateInfo() throws(CarnetFailure) -> JSONValue {
        CarnetClient.describe(try access.installedCertificate())
    }

    static func describe(_ details: CertificateDetails) -> JSONValue {
        let now = Clock.nowSeconds()
        return [
            "subject": .string(details.subject),
            "common_name": .string(details.commonName),
            "issuer": .string(details.issuer),
            "serial_number": .string(details.serialHex),
            "not_before": .string(Timestamps.instant(details.notBefore)),
            "not_after": .string(Timestamps.instant(details.notAfter)),
            "days_left": .number(String(details.daysLeft(at: now))),
            "expired": .bool(details.isExpired(at: now)),
            "sha256": .string(Hex.encode(details.sha256)),
        ]
    }
}

/// Splitting PEM bundles and checking keys against certificates.
enum PEM {
    static func certificates(in bytes: [UInt8]) -> [[UInt8]] {
        let text = String(decoding: bytes, as: UTF8.self)
        let begin = "-----BEGIN CERTIFICATE-----"
        let end = "-----END CERTIFICATE-----"
        var result: [[UInt8]] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: begin), let stop = rest[start.upperBound...].firstRange(of: end) {
            result.append(Array((String(rest[start.lowerBound..<stop.upperBound]) + "\n").utf8))
            rest = rest[stop.upperBound...]
            if result.count >= 16 { break }
        }
        return result
    }

    static func keyMatches(_ key: SecretBytes, certificate: [UInt8]) -> Bool {
        key.bytes.withUnsafeBufferPointer { k in
            certificate.withUnsafeBufferPointer { c in
                k.withMemoryRebound(to: CChar.self) { kc in
                    c.withMemoryRebound(to: CChar.self) { cc in
                        copenssl_key_matches_certificate_bridge(kc, cc)
                    }
                }
            }
        }
    }
}

/// Reads a whole (small) file the host names, refusing what is not a regular file.
enum FileReading {
    static func read(_ path: String, argumentName: String, maxBytes: Int) throws(CarnetFailure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .invalidArgument(.fileUnreadable(argumentName)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .invalidArgument(.fileUnreadable(argumentName))
        }
        guard info.st_size <= maxBytes else {
            throw .invalidArgument(.argumentTooLong(argumentName, maxBytes: maxBytes))
        }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else { throw .invalidArgument(.fileUnreadable(argumentName)) }
            data.append(contentsOf: buffer[0..<n])
            guard data.count <= maxBytes else {
                throw .invalidArgument(.argumentTooLong(argumentName, maxBytes: maxBytes))
            }
        }
        return data
    }
}
