public import CCarnet
internal import CarnetCore

@c @implementation
public func carnet_link_get(
    _ client: OpaquePointer?,
    _ patient_id: UnsafePointer<CChar>?,
    _ out_carnet_id: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    out_carnet_id?.pointee = nil
    return ClientCall.run(client, error) { client throws(CarnetFailure) in
        let out = try Arguments.requiredPointer(out_carnet_id, name: "out_carnet_id")
        let patient = try Arguments.patientID(patient_id)
        guard let carnet = try client.store.recordID(forPatient: patient) else {
            throw CarnetFailure(.notFound, domain: .validation, message: .noLinkedCarnet)
        }
        out.pointee = try OwnedCString.makeOrFail(carnet.value)
    }
}

@c @implementation
public func carnet_link_set(
    _ client: OpaquePointer?,
    _ patient_id: UnsafePointer<CChar>?,
    _ carnet_id: UnsafePointer<CChar>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.run(client, error) { client throws(CarnetFailure) in
        let patient = try Arguments.patientID(patient_id)
        let carnet = try RecordID(validating: Arguments.requiredString(carnet_id, name: "carnet_id", maxBytes: 64))
        try client.store.link(patient: patient, to: carnet)
    }
}

@c @implementation
public func carnet_link_remove(
    _ client: OpaquePointer?,
    _ patient_id: UnsafePointer<CChar>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.run(client, error) { client throws(CarnetFailure) in
        let patient = try Arguments.patientID(patient_id)
        try client.store.unlink(patient: patient)
    }
}
