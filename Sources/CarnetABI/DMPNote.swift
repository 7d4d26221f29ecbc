public import CCarnet
internal import CarnetCore
internal import CarnetJSON

@c @implementation
public func carnet_vaccination_dmp_note(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ host_vaccination_id: UnsafePointer<CChar>?,
    _ host_context_json: UnsafePointer<CChar>?, _ out_xml: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    out_xml?.pointee = nil
    return ClientCall.run(client, error) { client throws(CarnetFailure) in
        let out = try Arguments.requiredPointer(out_xml, name: "out_xml")
        let patient = try Arguments.patientID(patient_id)
        let hostID = try Arguments.requiredString(host_vaccination_id, name: "host_vaccination_id", maxBytes: 128)
        let context = try Arguments.requiredJSON(host_context_json, name: "host_context_json")
        let xml = try client.vaccinationNote(patientID: patient, hostVaccinationID: hostID, context: context)
        out.pointee = try OwnedCString.makeOrFail(xml)
    }
}
