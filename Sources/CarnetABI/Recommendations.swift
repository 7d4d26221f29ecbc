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

@c @implementation
public func carnet_recommendations_get_with_context(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ context_json: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let patient = try Arguments.patientID(patient_id)
        // NULL: no context (the general population, today).
        let context = try context_json.map { (pointer) throws(CarnetFailure) -> JSONValue in
            let text = try Arguments.requiredString(pointer, name: "context_json", maxBytes: 64 << 10)
            do {
                return try JSONValue.parse(text, limits: JSONLimits(maxBytes: 64 << 10, maxDepth: 8))
            } catch {
                throw .invalidArgument(.invalidJSON("context_json"))
            }
        }
        return try client.recommendations(patientID: patient, context: context)
    }
}
