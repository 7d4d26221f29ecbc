internal import CCurl
internal import Synchronization

/// libcurl's process-wide initialisation, reference-counted across clients.
///
/// `curl_global_init` is done by the first client opened and undone when the
/// last one closes, never from a static constructor: a host that only loads
/// the library pays nothing, and a host that uses libcurl itself keeps working
/// (libcurl >= 7.84 counts its own init/cleanup pairs too).
enum CurlRuntime {
    private static let users = Mutex<Int>(0)

    static func acquire() throws(CarnetFailure) {
        let rc: CURLcode = users.withLock { count in
            if count == 0 {
                let rc = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
                guard rc == CURLE_OK else { return rc }
            }
            count += 1
            return CURLE_OK
        }
        guard rc == CURLE_OK else {
            throw CarnetFailure(
                .internalError, domain: .network, code: Int32(rc.rawValue),
                message: .internalError("curl_global_init failed"))
        }
    }

    static func release() {
        users.withLock { count in
            guard count > 0 else { return }
            count -= 1
            if count == 0 { curl_global_cleanup() }
        }
    }

    /// How many clients hold the runtime (for tests).
    static var userCount: Int { users.withLock { $0 } }

    /// The libcurl version text, e.g. "7.88.1".
    static var versionText: String {
        guard let version = ccurl_version_text() else { return "?" }
        return String(cString: version)
    }
}
