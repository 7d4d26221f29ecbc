internal import CCurl

/// Turns a libcurl failure into what the doctor and the host need to know:
/// network (retry later), TLS (the service's certificate or configuration),
/// credentials (the professional's certificate), timeout, cancellation.
enum TransportFailures {
    // X509_V_ERR_* values (openssl/x509_vfy.h), as reported by CURLINFO_SSL_VERIFYRESULT.
    static let certNotYetValid = 9, certHasExpired = 10, selfSigned = 18, selfSignedInChain = 19
    static let unableToGetIssuerLocally = 20, unableToVerifyLeaf = 21, certRevoked = 23, unableToGetCRL = 3
    static let hostnameMismatch = 62, ipMismatch = 64, eeKeyTooSmall = 66, caKeyTooSmall = 67, caMdTooWeak = 68
    static let crlNotYetValid = 11, crlHasExpired = 12
    /// curl starts every handshake with X509_V_ERR_UNSPECIFIED (1) as the verify
    /// result; only a value above it says that verification actually ran and failed.
    static let unspecified = 1

    static func map(
        _ code: CURLcode, verifyResult: Int, detail: String, presentedCertificate: Bool, tooLarge: Bool,
        cancelled: Bool,
        responseStarted: Bool = false, serverVerified: Bool = false
    ) -> CarnetFailure {
        let raw = Int32(code.rawValue)
        let lowerDetail = detail.lowercased()
        if cancelled { return CarnetFailure(.cancelled, domain: .network, code: raw, message: .cancelled) }
        switch code {
        case CURLE_WRITE_ERROR where tooLarge, CURLE_FILESIZE_EXCEEDED:
            return CarnetFailure(
                .protocolViolation, domain: .network, code: raw, message: .protocolViolation(.tooLarge))
        case CURLE_OUT_OF_MEMORY where responseStarted:
            // After the status line, curl reports a header over CURL_MAX_HTTP_HEADER (100 KiB)
            // as "out of memory": the answer is too large, not this process.
            return CarnetFailure(
                .protocolViolation, domain: .network, code: raw, message: .protocolViolation(.tooLarge))
        case CURLE_WEIRD_SERVER_REPLY:
            return CarnetFailure(
                .protocolViolation, domain: .network, code: raw,
                message: .protocolViolation(.unexpectedStatus))
        case CURLE_UNSUPPORTED_PROTOCOL where lowerDetail.contains("http/0.9") || lowerDetail.contains("http version"):
            // The peer answered something that is not HTTP/1.x or 2 (the URL itself was https).
            return CarnetFailure(
                .protocolViolation, domain: .network, code: raw,
                message: .protocolViolation(.unexpectedStatus))
        case CURLE_OPERATION_TIMEDOUT:
            return CarnetFailure(.timeout, domain: .network, code: raw, message: .timeout)
        case CURLE_ABORTED_BY_CALLBACK:
            return CarnetFailure(.cancelled, domain: .network, code: raw, message: .cancelled)
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return tls(.pinMismatch, raw)
        case CURLE_SSL_CACERT_BADFILE:
            return tls(.caBundleUnreadable, raw)
        case CURLE_SSL_CRL_BADFILE:
            return tls(.crlUnreadable, raw)
        case CURLE_SSL_CERTPROBLEM:
            return CarnetFailure(.credentials, domain: .credentials, code: raw, message: .identityDamaged)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR:
            return tls(verifyProblem(verifyResult, detail: lowerDetail), raw, verifyResult: verifyResult)
        case CURLE_SSL_CONNECT_ERROR, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING:
            // "certificate required" is about the client whether or not one was presented
            // (e.g. an enrollment URL pointing at the mutual-TLS listener).
            if presentedCertificate || code == CURLE_SSL_CONNECT_ERROR || lowerDetail.contains("certificate required"),
                refusesClientCertificate(lowerDetail)
            {
                return CarnetFailure(.credentials, domain: .credentials, code: raw, message: .credentialsRefused)
            }
            if code == CURLE_SSL_CONNECT_ERROR {
                if verifyResult > unspecified {
                    return tls(verifyProblem(verifyResult, detail: lowerDetail), raw, verifyResult: verifyResult)
                }
                // The service's certificate had been verified when the server aborted the
                // handshake with a generic alert: ciphers were agreed long before, so what it
                // refused is the client certificate (missing, or refused with handshake_failure
                // as some servers do).
                if serverVerified, lowerDetail.contains("alert handshake failure") {
                    return CarnetFailure(.credentials, domain: .credentials, code: raw, message: .credentialsRefused)
                }
                if lowerDetail.contains("ee key too small") || lowerDetail.contains("key too small") {
                    return tls(.weakCertificate, raw)
                }
                if lowerDetail.contains("md too weak") { return tls(.weakSignature, raw) }
                // The connection died during the handshake without any TLS alert (a service
                // restarting, a load balancer resetting): a network failure, retried later,
                // not a verdict on the service's security.
                if !serverVerified,
                    [
                        "connection reset", "recv failure", "send failure", "broken pipe",
                        "ssl_error_syscall", "unexpected eof",
                    ].contains(where: { lowerDetail.contains($0) })
                {
                    return CarnetFailure(.network, domain: .network, code: raw, message: .networkUnreachable)
                }
                // The server speaks only TLS 1.0/1.1 (it answers our TLS 1.2 hello with a
                // protocol_version alert, or with an old record version).
                if lowerDetail.contains("protocol version") || lowerDetail.contains("wrong version number")
                    || lowerDetail.contains("unsupported protocol")
                {
                    return tls(.weakProtocol, raw)
                }
                // No cipher in common: the server offers no ECDHE suite.
                if lowerDetail.contains("handshake failure") || lowerDetail.contains("no cipher")
                    || lowerDetail.contains("no shared cipher") || lowerDetail.contains("insufficient security")
                {
                    return tls(.weakCipher, raw)
                }
                return tls(.other, raw)
            }
            return CarnetFailure(.network, domain: .network, code: raw, message: .networkUnreachable)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_PROXY, CURLE_PARTIAL_FILE,
            CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return CarnetFailure(.network, domain: .network, code: raw, message: .networkUnreachable)
        case CURLE_OUT_OF_MEMORY:
            return CarnetFailure(.outOfMemory, domain: .network, code: raw, message: .internalError("out of memory"))
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return CarnetFailure(
                .invalidArgument, domain: .network, code: raw,
                message: .invalidField("service_url", reason: .notHTTPSURL))
        default:
            return CarnetFailure(.network, domain: .network, code: raw, message: .networkUnreachable)
        }
    }

    /// A server that refuses the client certificate says so with a TLS alert;
    /// with TLS 1.3 it arrives on the first read (curl error 56).
    static func refusesClientCertificate(_ detail: String) -> Bool {
        [
            "certificate required", "bad certificate", "unknown ca", "certificate revoked", "certificate expired",
            "certificate unknown", "access denied",
        ].contains { detail.contains("alert " + $0) || detail.contains("alert_" + $0) }
            || detail.contains("tlsv13 alert certificate required")
    }

    static func verifyProblem(_ result: Int, detail: String) -> UserMessage.TLSProblem {
        switch result {
        case certHasExpired: return .serverCertificateExpired
        case certNotYetValid: return .serverCertificateNotYetValid
        case hostnameMismatch, ipMismatch: return .wrongHost
        case certRevoked: return .revoked
        case eeKeyTooSmall, caKeyTooSmall: return .weakCertificate
        case caMdTooWeak: return .weakSignature
        case selfSigned: return .selfSigned
        case selfSignedInChain: return .untrusted
        case unableToGetIssuerLocally, unableToVerifyLeaf: return .incompleteChain
        case unableToGetCRL, crlNotYetValid, crlHasExpired: return .revocationUnknown
        default:
            if detail.contains("no alternative certificate subject name") || detail.contains("does not match") {
                return .wrongHost
            }
            return .untrusted
        }
    }

    static func tls(_ problem: UserMessage.TLSProblem, _ code: Int32, verifyResult: Int = 0) -> CarnetFailure {
        // The domain code is the X509 verify result when there is one, else the CURLcode.
        CarnetFailure(
            .tls, domain: .tls, code: verifyResult != 0 ? Int32(clamping: verifyResult) : code,
            message: .tls(problem))
    }
}
