public import CarnetJSON

/// "Note de vaccination" for the DMP (docs/dmp.md): the CDA document of one vaccination the host
/// recorded, written from the local store and the catalogue, plus what only the host knows. Local:
/// no network, nothing recorded, nothing sent — submitting it to the DMP stays the host's.
extension CarnetClient {
    public func vaccinationNote(
        patientID: HostPatientID, hostVaccinationID: String, context: JSONValue
    ) throws(CarnetFailure) -> String {
        let hostID = try ImmunizationDocument.validatedHostID(hostVaccinationID, argumentName: "host_vaccination_id")
        // The host's context first: a malformed one is the host's to fix whatever the store holds.
        let noteContext = try NoteContext.parse(context)
        guard let row = try vaccinations.vaccination(patientID: patientID.value, hostID: hostID),
            row.resource.objectValue != nil,
            // Being removed: the host no longer holds it as done, so no note is written for it.
            row.state != .removing
        else {
            throw CarnetFailure(.notFound, domain: .validation, message: .unknownHostVaccination)
        }
        let vaccination = try NoteVaccination.read(hostID: hostID, immunization: row.resource, catalogue: catalogue.current)
        if let recorded = vaccination.performerNationalID, recorded != noteContext.vaccinator.nationalID {
            throw .invalidArgument(.noteVaccinatorMismatch)
        }
        return VaccinationNoteDocument.xml(vaccination: vaccination, context: noteContext)
    }
}
