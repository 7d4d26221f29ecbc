public import CCarnet
internal import CarnetCore
internal import CarnetJSON

@c @implementation
public func carnet_record_create(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ patient_json: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let patient = try Arguments.patientID(patient_id)
        let document = try Arguments.requiredJSON(patient_json, name: "patient_json")
        return try client.createRecord(patientID: patient, patient: document)
    }
}

@c @implementation
public func carnet_share_code_lookup(
    _ client: OpaquePointer?, _ share_code: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let code = try Arguments.requiredString(share_code, name: "share_code", maxBytes: 64)
        return try client.lookupShareCode(code)
    }
}

@c @implementation
public func carnet_record_claim(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ share_code: UnsafePointer<CChar>?,
    _ candidate_id: UnsafePointer<CChar>?, _ birth_date: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let patient = try Arguments.patientID(patient_id)
        let code = try Arguments.requiredString(share_code, name: "share_code", maxBytes: 64)
        let candidate = try Arguments.requiredString(candidate_id, name: "candidate_id", maxBytes: 256)
        let birth = try Arguments.requiredString(birth_date, name: "birth_date", maxBytes: 32)
        return try client.claimRecord(patientID: patient, code: code, candidateID: candidate, birthDate: birth)
    }
}

@c @implementation
public func carnet_share_code_resend(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.run(client, error) { client throws(CarnetFailure) in
        try client.resendShareCode(patientID: try Arguments.patientID(patient_id))
    }
}
