internal import CCurl
internal import COpenSSL
internal import Synchronization

/// One HTTP exchange with the service.
struct HTTPRequest: Sendable {
    enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", delete = "DELETE" }

    var method: Method
    var url: String
    var headers: [(String, String)] = []
    var body: [UInt8]? = nil
    /// Whether the professional's client certificate is presented.
    var presentsClientCertificate = true
}

struct HTTPResponse: Sendable {
    var status: Int
    /// Header names in lowercase, in the order received (last response only).
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.last(where: { $0.name == lower })?.value
    }
}

/// The client certificate and key presented for mutual TLS, in memory only.
struct ClientIdentityMaterial: Sendable {
    /// The leaf certificate followed by its chain.
    let certificatePEM: [UInt8]
    let privateKeyPEM: SecretBytes
    let details: CertificateDetails
}

/// HTTPS to the service through libcurl, with Carnet's TLS policy on every
/// connection (docs/security.md): peer and host verified, TLS 1.2 minimum,
/// forward-secret ciphers only, host names checked against SANs only,
/// optional CRL and public-key pin, no redirects, https only, answers capped
/// in size and in total time, cancellable from any thread.
///
/// One easy handle per transport, reused so connections are kept alive;
/// requests on one transport are serialised.
final class HTTPTransport: @unchecked Sendable {
    struct Settings: Sendable {
        var host: String
        var caBundlePath: String?
        var crlPath: String?
        var pinnedPublicKey: String?
        var connectTimeoutMilliseconds: UInt32
        var requestTimeoutMilliseconds: UInt32
        var maxResponseBytes = 16 << 20
    }

    /// TLS 1.2 suites with ephemeral key exchange only; TLS 1.3 suites are all forward-secret.
    static let cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20"

    let settings: Settings
    private let lock = Mutex<Void>(())
    /// The CURL easy handle; only touched under `lock`.
    private var handle: UnsafeMutableRawPointer?
    /// The host name for the SSL_CTX callback; lives as long as the transport.
    private let policyHost: UnsafeMutablePointer<CChar>?
    /// What the SSL_CTX callback applies and records (host, "server certificate verified");
    /// lives as long as the transport, touched only under `lock` and by curl's callbacks.
    private let policy: UnsafeMutablePointer<copenssl_tls_policy>
    /// curl's message for a failed transfer (CURLOPT_ERRORBUFFER); lives as long as the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// What the handle's standing options were set for (`configure`): the certificate it
    /// presents, or nil for none; `.none` (never configured) until the first request. Under `lock`.
    private var configuredFor: [UInt8]?? = .none

    init(settings: Settings) throws(CarnetFailure) {
        self.settings = settings
        self.policyHost = HTTPTransport.duplicate(settings.host)
        self.policy = UnsafeMutablePointer<copenssl_tls_policy>.allocate(capacity: 1)
        self.policy.initialize(to: copenssl_tls_policy(host: UnsafePointer(policyHost), server_verified: 0))
        self.errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        guard let curl = curl_easy_init() else { throw .internal("curl_easy_init failed") }
        handle = curl
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        if let policyHost { policyHost.deallocate() }
        policy.deallocate()
        errorBuffer.deallocate()
    }

    private static func duplicate(_ text: String) -> UnsafeMutablePointer<CChar>? {
        let utf8 = Array(text.utf8CString)
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        copy.initialize(from: utf8, count: utf8.count)
        return copy
    }

    func perform(
        _ request: HTTPRequest, identity: ClientIdentityMaterial?, cancel: Cancellation.Token, logger: Logger
    ) throws(CarnetFailure) -> HTTPResponse {
        try cancel.check()
        return try lock.withLock { (_: inout sending Void) throws(CarnetFailure) -> HTTPResponse in
            guard let curl = handle else { throw .internal("transport closed") }
            return try exchange(curl, request, identity: identity, cancel: cancel, logger: logger)
        }
    }

    private func exchange(
        _ curl: UnsafeMutableRawPointer, _ request: HTTPRequest, identity: ClientIdentityMaterial?,
        cancel: Cancellation.Token, logger: Logger
    ) throws(CarnetFailure) -> HTTPResponse {
        // The standing options (TLS policy, timeouts, callbacks, the certificate presented) are
        // set once, and again from a reset only when the certificate to present changes (none for
        // an enrolment, a renewed one): a reset and ~25 options before every request were part of
        // the client's gap between two requests of a backlog (docs/performance.md, 2026-12-04).
        // curl keeps the connection cache across curl_easy_reset, so keep-alive survives either way.
        let presented = request.presentsClientCertificate ? identity?.certificatePEM : nil
        if configuredFor != .some(presented) {
            configuredFor = .none
            curl_easy_reset(curl)
            guard configure(curl, identity: request.presentsClientCertificate ? identity : nil) else {
                logger.log(.error, "curl option refused")
                throw .internal("curl_easy_setopt failed")
            }
            configuredFor = .some(presented)
        }
        let state = ExchangeState(maxBytes: settings.maxResponseBytes, cancel: cancel)
        let statePointer = Unmanaged.passRetained(state).toOpaque()
        defer { Unmanaged<ExchangeState>.fromOpaque(statePointer).release() }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // curl adds "Expect: 100-continue" to large POSTs; the service never needs it.
        headerList = curl_slist_append(headerList, "Expect:")

        var rc = CURLE_OK
        func set(_ result: CURLcode) { if rc == CURLE_OK { rc = result } }

        // What this request alone sets. Every one of them is set for every request, so nothing
        // of the previous request's (its method, body, headers, state) carries over.
        set(ccurl_setopt_string(curl, CURLOPT_URL, request.url))
        set(ccurl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList))
        set(ccurl_setopt_pointer(curl, CURLOPT_WRITEDATA, statePointer))
        set(ccurl_setopt_pointer(curl, CURLOPT_HEADERDATA, statePointer))
        set(ccurl_setopt_pointer(curl, CURLOPT_XFERINFODATA, statePointer))
        // Back to a plain GET first: no body, no custom method from the previous request.
        set(ccurl_setopt_long(curl, CURLOPT_HTTPGET, 1))
        set(ccurl_setopt_pointer(curl, CURLOPT_CUSTOMREQUEST, nil))
        switch request.method {
        case .get: break
        case .post, .put, .delete:
            if request.method != .post {
                set(ccurl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
            }
            if let body = request.body {
                set(ccurl_setopt_long(curl, CURLOPT_POST, 1))
                set(ccurl_setopt_off(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                // COPYPOSTFIELDS copies: the Swift buffer does not outlive this scope.
                body.withUnsafeBytes { bytes in
                    if let base = bytes.baseAddress {
                        set(ccurl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base)))
                    } else {
                        set(ccurl_setopt_string(curl, CURLOPT_COPYPOSTFIELDS, ""))
                    }
                }
            } else if request.method == .post {
                set(ccurl_setopt_long(curl, CURLOPT_POST, 1))
                set(ccurl_setopt_off(curl, CURLOPT_POSTFIELDSIZE_LARGE, 0))
                set(ccurl_setopt_string(curl, CURLOPT_COPYPOSTFIELDS, ""))
            }
        }

        guard rc == CURLE_OK else {
            logger.log(.error, "curl option refused: code \(rc.rawValue)")
            // Set again from a reset next time: this request's options may be half applied.
            configuredFor = .none
            throw .internal("curl_easy_setopt failed")
        }

        errorBuffer.pointee = 0
        policy.pointee.server_verified = 0
        let started = Clock.monotonicNanoseconds()
        let result = curl_easy_perform(curl)
        var status = 0
        var verifyResult = 0
        _ = ccurl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        _ = ccurl_getinfo_long(curl, CURLINFO_SSL_VERIFYRESULT, &verifyResult)
        let elapsedMs = (Clock.monotonicNanoseconds() &- started) / 1_000_000
        let detail = String(cString: errorBuffer)
        // Log lines carry the method, the resource type (first path segment
        // after the base, never ids or queries), the status and the timing.
        logger.log(
            .debug,
            "\(request.method.rawValue) \(HTTPTransport.resourceLabel(request.url)) -> curl \(result.rawValue), "
                + "HTTP \(status), \(elapsedMs) ms"
        )

        guard result == CURLE_OK else {
            throw TransportFailures.map(
                result, verifyResult: verifyResult, detail: detail,
                presentedCertificate: request.presentsClientCertificate && identity != nil,
                tooLarge: state.overflowed || state.headerOverflow,
                cancelled: cancel.isCancelled, responseStarted: state.responseStarted,
                serverVerified: policy.pointee.server_verified == 1)
        }
        return HTTPResponse(status: status, headers: state.headers, body: state.body)
    }

    /// The standing options of every request: https only, no redirects, timeouts, size cap, the
    /// TLS policy, the callbacks, and the certificate presented (if any). False if curl refused one.
    private func configure(_ curl: UnsafeMutableRawPointer, identity: ClientIdentityMaterial?) -> Bool {
        var rc = CURLE_OK
        func set(_ result: CURLcode) { if rc == CURLE_OK { rc = result } }

        set(ccurl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "https"))
        set(ccurl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0))
        set(ccurl_setopt_long(curl, CURLOPT_NOSIGNAL, 1))
        set(ccurl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeoutMilliseconds)))
        set(ccurl_setopt_long(curl, CURLOPT_TIMEOUT_MS, Int(settings.requestTimeoutMilliseconds)))
        set(ccurl_setopt_off(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(settings.maxResponseBytes)))
        set(ccurl_setopt_string(curl, CURLOPT_USERAGENT, "libcarnet/0.1"))
        set(ccurl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer))

        // TLS policy.
        set(ccurl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 1))
        set(ccurl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 2))
        set(ccurl_setopt_long(curl, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2)))
        set(ccurl_setopt_string(curl, CURLOPT_SSL_CIPHER_LIST, HTTPTransport.cipherList))
        if let ca = settings.caBundlePath { set(ccurl_setopt_string(curl, CURLOPT_CAINFO, ca)) }
        if let crl = settings.crlPath { set(ccurl_setopt_string(curl, CURLOPT_CRLFILE, crl)) }
        if let pin = settings.pinnedPublicKey { set(ccurl_setopt_string(curl, CURLOPT_PINNEDPUBLICKEY, pin)) }
        set(
            ccurl_setopt_ssl_ctx_callback(
                curl,
                { _, sslContext, userdata in
                    guard let sslContext else { return CURLE_SSL_CONNECT_ERROR }
                    let policy = userdata?.assumingMemoryBound(to: copenssl_tls_policy.self)
                    return copenssl_tls_apply_policy_state(OpaquePointer(sslContext), policy) == 1
                        ? CURLE_OK : CURLE_SSL_CONNECT_ERROR
                }, UnsafeMutableRawPointer(policy)))
        if let identity {
            // Copied by curl (CURL_BLOB_COPY); the blobs are gone with the next reset.
            identity.certificatePEM.withUnsafeBytes { bytes in
                set(ccurl_setopt_blob(curl, CURLOPT_SSLCERT_BLOB, bytes.baseAddress, bytes.count))
            }
            set(ccurl_setopt_string(curl, CURLOPT_SSLCERTTYPE, "PEM"))
            identity.privateKeyPEM.bytes.withUnsafeBytes { bytes in
                set(ccurl_setopt_blob(curl, CURLOPT_SSLKEY_BLOB, bytes.baseAddress, bytes.count))
            }
            set(ccurl_setopt_string(curl, CURLOPT_SSLKEYTYPE, "PEM"))
        }

        // Callbacks; their data (the exchange's state) is set for each request.
        set(
            ccurl_setopt_write_callback(
                curl,
                { data, size, count, userdata in
                    guard let data, let userdata else { return 0 }
                    let state = Unmanaged<ExchangeState>.fromOpaque(userdata).takeUnretainedValue()
                    let (total, overflow) = size.multipliedReportingOverflow(by: count)
                    guard !overflow else { return 0 }
                    return state.append(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
                }, nil))
        set(
            ccurl_setopt_header_callback(
                curl,
                { data, size, count, userdata in
                    guard let data, let userdata else { return 0 }
                    let state = Unmanaged<ExchangeState>.fromOpaque(userdata).takeUnretainedValue()
                    let (total, overflow) = size.multipliedReportingOverflow(by: count)
                    guard !overflow else { return 0 }
                    return state.header(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
                }, nil))
        set(
            ccurl_setopt_progress_callback(
                curl,
                { userdata, _, _, _, _ in
                    guard let userdata else { return 1 }
                    let state = Unmanaged<ExchangeState>.fromOpaque(userdata).takeUnretainedValue()
                    return state.cancel.isCancelled ? 1 : 0
                }, nil))
        return rc == CURLE_OK
    }

    /// "Immunization", "Patient", "$changes", ".well-known": enough to follow a
    /// log, nothing that identifies a patient.
    static func resourceLabel(_ url: String) -> String {
        guard url.hasPrefix("https://") else { return "?" }
        let afterHost = url.dropFirst("https://".count).drop { $0 != "/" }
        let path = afterHost.prefix { $0 != "?" }
        let segments = path.split(separator: "/")
        let known = segments.first { s in
            s.hasPrefix("$") || s.hasPrefix(".") || s.first?.isUppercase == true || s == "oauth" || s == "crl"
        }
        return known.map(String.init) ?? "/"
    }
}

/// What the callbacks of one exchange accumulate. Touched only by the thread
/// running curl_easy_perform (callbacks run on it).
final class ExchangeState: @unchecked Sendable {
    let maxBytes: Int
    let cancel: Cancellation.Token
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var overflowed = false
    /// A header line over 16 KiB or more than 200 headers: refused as too large.
    var headerOverflow = false
    /// A status line was received: what fails afterwards is the answer's fault.
    var responseStarted = false

    init(maxBytes: Int, cancel: Cancellation.Token) {
        self.maxBytes = maxBytes
        self.cancel = cancel
    }

    func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard !cancel.isCancelled else { return false }
        guard body.count <= maxBytes - chunk.count else {
            overflowed = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// The response headers anything reads (lower case); the others are skipped without making
    /// a string: this callback runs once per header line of every answer.
    static let keptHeaders: [[UInt8]] = [
        "content-type", "retry-after", "x-carnet-cursor", "etag", "location", "content-location", "last-modified",
        "x-request-id",
    ].map { Array($0.utf8) }

    func header(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count <= 16_384, headers.count < 200 else {
            headerOverflow = true
            return false
        }
        if line.starts(with: Self.statusLinePrefix) {
            responseStarted = true
            headers.removeAll()  // a new response (after 100-continue): keep only the last
            return true
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return true }
        guard let kept = Self.keptHeaders.firstIndex(where: { Self.equalsIgnoringCase(line[..<colon], $0) }) else {
            return true
        }
        var start = colon + 1, end = line.count
        while start < end, Self.isSpace(line[start]) { start += 1 }
        while end > start, Self.isSpace(line[end - 1]) { end -= 1 }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        headers.append((Self.keptHeaderNames[kept], value))
        return true
    }

    private static let statusLinePrefix = Array("HTTP/".utf8)
    private static let keptHeaderNames = keptHeaders.map { String(decoding: $0, as: UTF8.self) }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// ASCII case-insensitive equality of a header name with a lower-case one.
    private static func equalsIgnoringCase(_ name: Slice<UnsafeRawBufferPointer>, _ lower: [UInt8]) -> Bool {
        guard name.count == lower.count else { return false }
        for (byte, expected) in zip(name, lower) {
            let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if folded != expected { return false }
        }
        return true
    }
}
