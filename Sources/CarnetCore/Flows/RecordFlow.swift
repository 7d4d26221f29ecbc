public import CarnetJSON
internal import CarnetCatalogue
internal import CarnetWire

/// The carnet itself: create one for a patient ("Créer le carnet de
/// vaccination électronique"), or attach an existing one with the share code
/// the patient gives and the holder's birth date, and resend that code.
extension CarnetClient {
    /// Creates the carnet on the service, links it to the host's patient and
    /// returns the service's Patient resource. The service emails the patient.
    public func createRecord(patientID: HostPatientID, patient: JSONValue) throws(CarnetFailure) -> JSONValue {
        let token = cancellation.token()
        let body = try PatientDocument.validatedForCreate(patient, today: configuration.today())
        if try store.recordID(forPatient: patientID) != nil {
            throw CarnetFailure(.conflict, domain: .validation, message: .alreadyLinked)
        }
        let connection = ServiceConnection(client: self, token: token)
        let key = try store.creationKey(for: patientID)
        let answer: ServiceConnection.Answer
        do throws(CarnetFailure) {
            answer = try connection.send(
                .post, "Patient", body: body, headers: [(WireHeader.idempotencyKey, key)],
                expect: [200, 201])
        } catch {
            // Refused for good (the document, the account): the next attempt is a new creation.
            // Anything else may have created it: the key stays, so a retry creates nothing twice.
            if !error.kind.isTransient, error.kind != .protocolViolation, error.kind != .cancelled {
                try? store.forgetCreationKey(for: patientID)
                var refused = error
                if case .rejected(let reason) = error.message { refused.message = .recordRejected(reason) }
                throw refused
            }
            // What is true: it may exist now. The host's retry is safe, and the message says so.
            var unconfirmed = error
            unconfirmed.message = .creationUnconfirmed
            throw unconfirmed
        }
        let created = try linkReturnedPatient(answer, connection: connection, to: patientID)
        try store.forgetCreationKey(for: patientID)
        logger.log(.info, "carnet created and linked")
        return created
    }

    /// The carnets a share code opens, by pseudonym only: a FHIR Parameters
    /// resource with one `candidate` per carnet (parts `id` and `pseudonym`).
    public func lookupShareCode(_ code: String) throws(CarnetFailure) -> JSONValue {
        let connection = ServiceConnection(client: self, token: cancellation.token())
        let answer = try connection.send(
            .post, WirePath.shareCodeLookup,
            body: ShareCodeParameters.lookupRequest(code: code), expect: [200])
        let parameters = try connection.resource(answer, type: "Parameters")
        guard let candidates = ShareCodeParameters.candidates(in: parameters) else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        // Rebuilt from the parsed candidates: nothing else the service sent reaches the host.
        return ShareCodeParameters.lookupAnswer(candidates)
    }

    /// Claims one carnet of a share code with the holder's birth date; links
    /// it to the host's patient and returns the Patient resource.
    public func claimRecord(
        patientID: HostPatientID, code: String, candidateID: String, birthDate: String
    ) throws(CarnetFailure) -> JSONValue {
        guard CivilDate(birthDate) != nil, birthDate.utf8.count == 10 else {
            throw .invalidArgument(.invalidDate("birth_date"))
        }
        let connection = ServiceConnection(client: self, token: cancellation.token())
        let body = ShareCodeParameters.claimRequest(code: code, candidate: candidateID, birthDate: birthDate)
        let answer = try connection.send(.post, WirePath.recordClaim, body: body, expect: [200])
        let patient = try linkReturnedPatient(answer, connection: connection, to: patientID)
        logger.log(.info, "carnet claimed and linked")
        return patient
    }

    /// Asks the service to email the share code to the patient again.
    public func resendShareCode(patientID: HostPatientID) throws(CarnetFailure) {
        let carnet = try linkedRecord(patientID)
        let connection = ServiceConnection(client: self, token: cancellation.token())
        _ = try connection.send(.post, WirePath.shareCodeResend(record: carnet.value), expect: [200, 202, 204])
    }

    /// Links the host's patient to the carnet the service answered with.
    private func linkReturnedPatient(
        _ answer: ServiceConnection.Answer, connection: ServiceConnection, to patientID: HostPatientID
    ) throws(CarnetFailure) -> JSONValue {
        let patient = try connection.resource(answer, type: "Patient")
        guard let id = patient["id"]?.stringValue, let carnet = RecordID(id) else {
            throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.wrongResourceType))
        }
        try store.link(patient: patientID, to: carnet)
        // Kept for recommendations computed without the service (LocalCopy.swift).
        if let birth = patient["birthDate"]?.stringValue, CivilDate(birth) != nil {
            try? store.rememberBirthDate(birth, of: carnet)
        }
        return patient
    }

    /// The carnet linked to a patient, or NOT_FOUND.
    func linkedRecord(_ patientID: HostPatientID) throws(CarnetFailure) -> RecordID {
        guard let carnet = try store.recordID(forPatient: patientID) else {
            throw CarnetFailure(.notFound, domain: .validation, message: .noLinkedCarnet)
        }
        return carnet
    }
}

/// What a Patient must hold for the service to create a carnet (the guide:
/// "remplir les informations manquantes"): a name, a birth date, a gender and
/// the patient's email. A missing field is named so the host can ask for it.
enum PatientDocument {
    static let genders: Set<String> = ["male", "female", "other", "unknown"]

    /// `today`: the workstation's civil date (`carnet_options.time_zone`); a birth date after it is
    /// refused here rather than by the service.
    static func validatedForCreate(_ patient: JSONValue, today: CivilDate) throws(CarnetFailure) -> JSONValue {
        guard var object = patient.objectValue else { throw .invalidArgument(.invalidJSON("patient_json")) }
        guard object["resourceType"] == "Patient" else {
            throw .invalidArgument(.wrongResourceType("patient_json", expected: "Patient"))
        }
        let name = object["name"]?[0]
        guard let family = name?["family"]?.stringValue, !family.isBlank else {
            throw .invalidArgument(.missingPatientField("name.family"))
        }
        guard let given = name?["given"]?[0]?.stringValue, !given.isBlank else {
            throw .invalidArgument(.missingPatientField("name.given"))
        }
        guard let birth = object["birthDate"]?.stringValue, !birth.isBlank else {
            throw .invalidArgument(.missingPatientField("birthDate"))
        }
        guard let date = CivilDate(birth), birth.utf8.count == 10 else {
            throw .invalidArgument(.invalidDate("birthDate"))
        }
        guard date <= today else { throw .invalidArgument(.dateInFuture("birthDate")) }
        guard let gender = object["gender"]?.stringValue, !gender.isBlank else {
            throw .invalidArgument(.missingPatientField("gender"))
        }
        guard genders.contains(gender) else {
            throw .invalidArgument(.invalidField("gender", reason: .unknownValue))
        }
        let emails = (object["telecom"]?.arrayValue ?? []).filter { $0["system"] == "email" }
        guard let email = emails.first?["value"]?.stringValue, !email.isBlank else {
            throw .invalidArgument(.missingPatientField("telecom(email)"))
        }
        // Present but not an address: said so (not "missing"), so the doctor fixes the typo.
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !email.contains(where: { $0.isWhitespace })
        else {
            throw .invalidArgument(.invalidField("telecom(email)", reason: .unknownValue))
        }
        // The service assigns the id and the meta.
        object["id"] = nil
        object["meta"] = nil
        return .object(object)
    }
}

extension String {
    var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } }
}
