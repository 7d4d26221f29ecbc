// Creating a record (a Patient): validation, the citizen account it belongs to, the share-code email.

import CarnetWire
import Foundation

extension RecordService {
    // MARK: Patient (the record)

    struct PatientFacts {
        let pseudonym: String
        let birthDate: String
        let email: String
    }

    /// Checks a Patient and returns what the service indexes; throws 400/422 OperationOutcomes.
    func validatePatient(_ value: JSONValue) throws -> (JSONObject, PatientFacts) {
        guard case .object(let patient) = value else { throw FHIRError.badRequest("the body must be a JSON object") }
        guard patient["resourceType"]?.stringValue == "Patient" else {
            throw FHIRError.badRequest("resourceType must be Patient", expression: "Patient.resourceType")
        }
        try ElementCheck.check(patient, type: "Patient")
        guard let names = patient["name"]?.arrayValue, let name = names.first?.objectValue else {
            throw FHIRError.required("Patient.name")
        }
        guard let family = name["family"]?.stringValue, !family.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw FHIRError.required("Patient.name.family")
        }
        guard let given = name["given"]?.arrayValue?.compactMap(\.stringValue).filter({ !$0.isEmpty }),
            let first = given.first
        else {
            throw FHIRError.required("Patient.name.given")
        }
        guard let birthDate = patient["birthDate"]?.stringValue else { throw FHIRError.required("Patient.birthDate") }
        guard FHIR.isDate(birthDate) else {
            throw FHIRError.invalidValue(
                "Patient.birthDate must be a full date YYYY-MM-DD", expression: "Patient.birthDate")
        }
        guard birthDate <= Time.today().iso else {
            throw FHIRError.business(
                "the birth date is in the future", detail: .birthDateInFuture, expression: "Patient.birthDate")
        }
        guard let gender = patient["gender"]?.stringValue else { throw FHIRError.required("Patient.gender") }
        guard ["male", "female", "other", "unknown"].contains(gender) else {
            throw FHIRError.invalidValue(
                "Patient.gender must be male, female, other or unknown", expression: "Patient.gender")
        }
        let email = patient["telecom"]?.arrayValue?.compactMap(\.objectValue)
            .first { $0["system"]?.stringValue == "email" }?["value"]?.stringValue
        guard let email, !email.isEmpty else { throw FHIRError.required("Patient.telecom.where(system='email')") }
        guard Self.isPlausibleEmail(email) else {
            throw FHIRError.invalidValue(
                "the email address is not valid", expression: "Patient.telecom.where(system='email').value")
        }
        for identifier in patient["identifier"]?.arrayValue?.compactMap(\.objectValue) ?? [] {
            let system = identifier["system"]?.stringValue
            if system == CodeSystem.insNIR || system == CodeSystem.insTest {
                guard let value = identifier["value"]?.stringValue, value.count == 15,
                    value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "A" || $0 == "B") })
                else {
                    throw FHIRError.invalidValue(
                        "an INS must have 15 characters (NIR + key)", expression: "Patient.identifier.value")
                }
            }
        }
        var pseudonym = first
        if let custom = patient["extension"]?.arrayValue?.compactMap(\.objectValue)
            .first(where: { $0["url"]?.stringValue == WireDefinition.pseudonymExtension })?["valueString"]?.stringValue,
            !custom.isEmpty
        {
            pseudonym = custom
        }
        return (patient, PatientFacts(pseudonym: pseudonym, birthDate: birthDate, email: email))
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && email.count <= 254
            && !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }

    /// Creates a record; attaches it to the citizen account of its email (created if needed) and
    /// emails that account's share code. A professional creator gets access (its team's, when it
    /// belongs to one). With a creation key (`Idempotency-Key`, CreationKeys.swift) a professional's
    /// repeated creation answers 200 with the first record and sends no email.
    func createRecord(
        _ value: JSONValue, by actor: Actor, notify: Bool = true, creationKey: String? = nil
    ) throws -> Written {
        var creation: (professional: String, key: String, fingerprint: String)? = nil
        if let creationKey, case .professional(let pid) = actor {
            creation = (pid, creationKey, Self.creationFingerprint(value))
        }
        // Before validation: a replay answers what the first request got, even if rules changed since.
        if let creation,
            let existing = try carnetCreated(
                professional: creation.professional, key: creation.key, fingerprint: creation.fingerprint)
        {
            return try replayedCreation(record: existing, professional: creation.professional)
        }
        var (patient, facts) = try validatePatient(value)
        // Carry the pseudonym explicitly so that Patient reads show what share-code lookups show.
        var extensions =
            patient["extension"]?.arrayValue?.filter { $0["url"]?.stringValue != WireDefinition.pseudonymExtension }
            ?? []
        extensions.append(["url": .string(WireDefinition.pseudonymExtension), "valueString": .string(facts.pseudonym)])
        patient["extension"] = .array(extensions)

        let id = RandomUUID.make()
        let now = Time.nowMs()
        let stamped = JSONValue.object(FHIR.stamp(patient, id: id, version: 1, atMs: now))
        let text = stamped.serialized()
        let created = try db.transaction { () -> (email: String, code: String, isNew: Bool)? in
            // Again under the write lock: a concurrent request with the same key may have won.
            if let creation,
                try carnetCreated(
                    professional: creation.professional, key: creation.key, fingerprint: creation.fingerprint) != nil
            {
                return nil
            }
            var citizen = try db.query("SELECT id, email, share_code FROM citizens WHERE email = ?", [facts.email])
                .first
            var isNew = false
            if citizen == nil {
                try insertCitizen(email: facts.email, at: now)
                citizen = try db.query("SELECT id, email, share_code FROM citizens WHERE email = ?", [facts.email])
                    .first
                isNew = true
            }
            guard let citizen, let citizenID = citizen.string("id"), let code = citizen.string("share_code") else {
                throw FHIRError.internalError("citizen account unavailable")
            }
            var creator: String? = nil
            if case .professional(let pid) = actor { creator = pid }
            try db.query(
                "INSERT INTO carnets(id, citizen_id, pseudonym, birth_date, created_by, created_at, version, "
                    + "resource) VALUES(?,?,?,?,?,?,1,?)",
                [id, citizenID, facts.pseudonym, facts.birthDate, creator, now, text])
            try store.appendHistory(
                type: "Patient", id: id, record: id, version: 1, method: "POST", resource: text, atMs: now,
                author: actor.author)
            if let creator { try store.grantAccess(professional: creator, record: id, via: "created") }
            if let creation {
                try rememberCreation(
                    professional: creation.professional, key: creation.key, fingerprint: creation.fingerprint,
                    carnet: id)
            }
            return (citizen.string("email") ?? facts.email, code, isNew)
        }
        guard let created else {
            guard let creation,
                let existing = try carnetCreated(
                    professional: creation.professional, key: creation.key, fingerprint: creation.fingerprint)
            else { throw FHIRError.internalError("creation key vanished") }
            return try replayedCreation(record: existing, professional: creation.professional)
        }
        if notify {
            let reason =
                created.isNew
                ? "Un carnet de vaccination électronique a été créé pour vous."
                : "Un nouveau carnet de vaccination électronique a été ajouté à votre compte."
            try sendShareCode(citizenEmail: created.email, code: created.code, reason: reason)
        }
        log.log(.info, "carnet.created", [("carnet", .string(id)), ("by", .string(actor.author))])
        return Written(status: 201, resource: stamped, version: 1, id: id)
    }

    /// The answer to a repeated creation: the record as this professional sees it now, 200.
    private func replayedCreation(record: String, professional: String) throws -> Written {
        let (resource, version) = try read(type: "Patient", id: record, professional: professional)
        log.log(
            .info, "carnet.creation-replayed", [("carnet", .string(record)), ("professional", .string(professional))])
        return Written(status: 200, resource: resource, version: version, id: record)
    }

    private func insertCitizen(email: String, at now: Int64) throws {
        for _ in 0..<8 {
            let code = ReadableCode.generate(dataLength: Self.shareCodeLength)
            do {
                try db.query(
                    "INSERT INTO citizens(id, email, share_code, created_at) VALUES(?,?,?,?)",
                    [RandomUUID.make(), email, code, now])
                return
            } catch let error as SQLiteError where error.isConstraintViolation {
                continue  // a share-code collision (2^-50): draw again
            }
        }
        throw FHIRError.internalError("could not allocate a share code")
    }

    func sendShareCode(citizenEmail: String, code: String, reason: String) throws {
        let pseudonyms = try db.query(
            "SELECT c.pseudonym FROM carnets c JOIN citizens z ON z.id = c.citizen_id WHERE z.share_code = ? "
                + "ORDER BY c.rowid",
            [code]
        ).compactMap { $0.string("pseudonym") }
        let file = try mailer.sendShareCode(to: citizenEmail, code: code, pseudonyms: pseudonyms, reason: reason)
        log.log(.info, "email.sent", [("kind", "share-code"), ("file", .string(file))])
    }
}
