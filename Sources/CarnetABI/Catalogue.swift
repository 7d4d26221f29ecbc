public import CCarnet
internal import CarnetCore
internal import CarnetJSON

@c @implementation
public func carnet_catalogue_info(
    _ client: OpaquePointer?, _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        client.catalogueInfo()
    }
}

@c @implementation
public func carnet_catalogue_import(
    _ client: OpaquePointer?, _ directory: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let path = try Arguments.requiredString(directory, name: "directory", maxBytes: 4096)
        return try client.importCatalogue(directory: path)
    }
}

@c @implementation
public func carnet_vaccine_scan(
    _ client: OpaquePointer?, _ scanned: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let text = try Arguments.requiredString(scanned, name: "scanned", maxBytes: 1024)
        return try client.scanBox(text)
    }
}
