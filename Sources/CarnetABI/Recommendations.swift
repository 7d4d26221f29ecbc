public import CCarnet
internal import CarnetCore
internal import CarnetJSON

@c @implementation
public func carnet_recommendations_get(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        return try client.recommendations(patientID: try Arguments.patientID(patient_id))
    }
}
