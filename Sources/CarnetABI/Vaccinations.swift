public import CCarnet
internal import CarnetCore
internal import CarnetJSON

@c @implementation
public func carnet_vaccinations_list(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        return try client.listVaccinations(patientID: try Arguments.patientID(patient_id))
    }
}

@c @implementation
public func carnet_vaccinations_accept(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ mapping_json: UnsafePointer<CChar>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.run(client, error) { client throws(CarnetFailure) in
        let patient = try Arguments.patientID(patient_id)
        let mapping = try Arguments.requiredJSON(mapping_json, name: "mapping_json")
        _ = try client.acceptVaccinations(patientID: patient, mapping: mapping)
    }
}

@c @implementation
public func carnet_vaccination_add(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ immunization_json: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    recordedChange(client, patient_id, immunization_json, out_json, error) {
        (client, patient, document) throws(CarnetFailure) -> ChangeOutcome in
        try client.addVaccination(patientID: patient, immunization: document)
    }
}

@c @implementation
public func carnet_vaccination_update(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ immunization_json: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    recordedChange(client, patient_id, immunization_json, out_json, error) {
        (client, patient, document) throws(CarnetFailure) -> ChangeOutcome in
        try client.updateVaccination(patientID: patient, immunization: document)
    }
}

/// The arguments an add and an update share, checked the same way.
private func recordedChange(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ immunization_json: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?,
    _ record: (CarnetClient, HostPatientID, JSONValue) throws(CarnetFailure) -> ChangeOutcome
) -> carnet_status {
    ClientCall.change(client, out_json, error) { client throws(CarnetFailure) -> ChangeOutcome in
        _ = try Arguments.requiredPointer(out_json, name: "out_json")
        let patient = try Arguments.patientID(patient_id)
        let document = try Arguments.requiredJSON(immunization_json, name: "immunization_json")
        return try record(client, patient, document)
    }
}

@c @implementation
public func carnet_vaccination_remove(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ host_vaccination_id: UnsafePointer<CChar>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.change(client, nil, error) { client throws(CarnetFailure) -> ChangeOutcome in
        let patient = try Arguments.patientID(patient_id)
        let hostID = try Arguments.requiredString(host_vaccination_id, name: "host_vaccination_id", maxBytes: 128)
        return try client.removeVaccination(patientID: patient, hostVaccinationID: hostID)
    }
}

@c @implementation
public func carnet_sync(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        // NULL means every linked patient.
        let patient = patient_id == nil ? nil : try Arguments.patientID(patient_id)
        return try client.sync(patientID: patient)
    }
}

@c @implementation
public func carnet_outbox_status(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.json(client, out_json, error) { client throws(CarnetFailure) -> JSONValue in
        let patient = patient_id == nil ? nil : try Arguments.patientID(patient_id)
        return try client.outboxStatus(patientID: patient)
    }
}

@c @implementation
public func carnet_vaccinations_add(
    _ client: OpaquePointer?, _ patient_id: UnsafePointer<CChar>?, _ immunizations_json: UnsafePointer<CChar>?,
    _ out_json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.many(client, out_json, error) { client throws(CarnetFailure) -> RecordedVaccinations in
        _ = try Arguments.requiredPointer(out_json, name: "out_json")
        let patient = try Arguments.patientID(patient_id)
        let documents = try Arguments.requiredJSON(immunizations_json, name: "immunizations_json", maxBytes: 16 << 20)
        return try client.addVaccinations(patientID: patient, immunizations: documents)
    }
}
