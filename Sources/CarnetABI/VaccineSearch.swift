public import CCarnet
internal import CarnetCore

@c @implementation
public func carnet_vaccines_search(
    _ client: OpaquePointer?, _ query: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.jsonText(client, out_json, error) { client throws(CarnetFailure) -> [UInt8] in
        let text = try Arguments.requiredString(query, name: "query", maxBytes: 256)
        return client.searchVaccines(text)
    }
}
