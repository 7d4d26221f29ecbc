public import CCarnet

@c @implementation
public func carnet_status_string(_ status: carnet_status) -> UnsafePointer<CChar>? {
    let name: StaticString
    switch status {
    case CARNET_OK: name = "CARNET_OK"
    case CARNET_PENDING: name = "CARNET_PENDING"
    case CARNET_E_INVALID_ARGUMENT: name = "CARNET_E_INVALID_ARGUMENT"
    case CARNET_E_NOT_FOUND: name = "CARNET_E_NOT_FOUND"
    case CARNET_E_STORAGE: name = "CARNET_E_STORAGE"
    case CARNET_E_NETWORK: name = "CARNET_E_NETWORK"
    case CARNET_E_TLS: name = "CARNET_E_TLS"
    case CARNET_E_HTTP: name = "CARNET_E_HTTP"
    case CARNET_E_CREDENTIALS: name = "CARNET_E_CREDENTIALS"
    case CARNET_E_ACCESS_DENIED: name = "CARNET_E_ACCESS_DENIED"
    case CARNET_E_LOCKED: name = "CARNET_E_LOCKED"
    case CARNET_E_CONFLICT: name = "CARNET_E_CONFLICT"
    case CARNET_E_CANCELLED: name = "CARNET_E_CANCELLED"
    case CARNET_E_TIMEOUT: name = "CARNET_E_TIMEOUT"
    case CARNET_E_UNSUPPORTED_VERSION: name = "CARNET_E_UNSUPPORTED_VERSION"
    case CARNET_E_OUT_OF_MEMORY: name = "CARNET_E_OUT_OF_MEMORY"
    case CARNET_E_PROTOCOL: name = "CARNET_E_PROTOCOL"
    case CARNET_E_CERTIFICATE_EXPIRED: name = "CARNET_E_CERTIFICATE_EXPIRED"
    case CARNET_E_INTERNAL: name = "CARNET_E_INTERNAL"
    case CARNET_E_WITHDRAWAL_CODE: name = "CARNET_E_WITHDRAWAL_CODE"
    case CARNET_E_PKCS12_PASSWORD: name = "CARNET_E_PKCS12_PASSWORD"
    case CARNET_E_PKCS12_UNSUPPORTED: name = "CARNET_E_PKCS12_UNSUPPORTED"
    case CARNET_E_IDENTITY_SECRET: name = "CARNET_E_IDENTITY_SECRET"
    case CARNET_E_NO_CERTIFICATE: name = "CARNET_E_NO_CERTIFICATE"
    case CARNET_E_REJECTED: name = "CARNET_E_REJECTED"
    default: name = "CARNET_E_UNKNOWN"
    }
    return UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
}
