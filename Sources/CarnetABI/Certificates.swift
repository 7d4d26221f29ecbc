public import CCarnet
internal import CarnetCore
internal import CarnetJSON

@c @implementation
public func carnet_certificate_enroll(
    _ client: OpaquePointer?, _ withdrawal_code: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let code = try Arguments.requiredString(withdrawal_code, name: "withdrawal_code", maxBytes: 256)
        return try client.enrollCertificate(withdrawalCode: code)
    }
}

@c @implementation
public func carnet_certificate_import_p12(
    _ client: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ password: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let file = try Arguments.requiredString(path, name: "path", maxBytes: 4096)
        guard let password else { throw .invalidArgument(.missingArgument("password")) }
        // An empty password is legitimate for PKCS#12; only NULL is refused.
        let secret =
            password.pointee == 0 ? "" : try Arguments.requiredString(password, name: "password", maxBytes: 1024)
        return try client.importCertificate(pkcs12Path: file, password: secret)
    }
}

@c @implementation
public func carnet_certificate_info(
    _ client: OpaquePointer?, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        return try client.certificateInfo()
    }
}

@c @implementation
public func carnet_certificate_renew(
    _ client: OpaquePointer?, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        return try client.renewCertificate()
    }
}
