// The request context: keeps the channel (client address, TLS peer certificate) and what the
// middlewares learn about the caller.

import Foundation
import Hummingbird
import NIOCore

/// Facts the access log needs from inner middlewares (a reference, so they flow outwards).
final class RequestFacts: @unchecked Sendable {
    private let lock = NSLock()
    private var _professional: String?
    var professional: String? {
        get { lock.lock(); defer { lock.unlock() }; return _professional }
        set { lock.lock(); _professional = newValue; lock.unlock() }
    }
}

struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var requestID = ""
    var professionalID: String?
    var thumbprint: String?
    var facts = RequestFacts()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The authenticated professional (set by `ClientCertificateMiddleware`).
    func requireProfessional() throws -> String {
        guard let professionalID else { throw FHIRError.certificateRequired }
        return professionalID
    }
}
