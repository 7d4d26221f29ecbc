// The CVE's business operations, shared by the HTTP handlers and the admin/citizen subcommands.
// Each method validates, runs one SQLite transaction, then sends email after the commit.

import Foundation

/// Who performs a write: a professional (over mTLS or via the CLI) or the citizen (CLI).
enum Actor {
    case professional(String)
    case citizen
    case admin

    var author: String {
        switch self {
        case .professional(let id): return "professional:\(id)"
        case .citizen: return "citizen"
        case .admin: return "admin"
        }
    }
}

struct Written {
    let status: Int          // 200 or 201
    let resource: JSONValue
    let version: Int
    let id: String
}

final class CarnetService: @unchecked Sendable {
    let store: Store
    let mailer: Mailer
    let keyed: Keyed
    let vaccines: any VaccineLookup
    let log: EventLog
    var db: Database { store.db }

    init(store: Store, mailer: Mailer, keyed: Keyed, vaccines: any VaccineLookup, log: EventLog) {
        self.store = store
        self.mailer = mailer
        self.keyed = keyed
        self.vaccines = vaccines
        self.log = log
    }

    static let shareCodeLength = 10   // 10 × 5 bits = 50 bits, plus a check character

    // MARK: Patient (the carnet)

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
        guard let names = patient["name"]?.arrayValue, let name = names.first?.objectValue else { throw FHIRError.required("Patient.name") }
        guard let family = name["family"]?.stringValue, !family.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw FHIRError.required("Patient.name.family")
        }
        guard let given = name["given"]?.arrayValue?.compactMap(\.stringValue).filter({ !$0.isEmpty }), let first = given.first else {
            throw FHIRError.required("Patient.name.given")
        }
        guard let birthDate = patient["birthDate"]?.stringValue else { throw FHIRError.required("Patient.birthDate") }
        guard FHIR.isDate(birthDate) else {
            throw FHIRError.invalidValue("Patient.birthDate must be a full date YYYY-MM-DD", expression: "Patient.birthDate")
        }
        guard birthDate <= Time.latestToday() else {
            throw FHIRError.business("the birth date is in the future", detail: "birth-date-in-future", expression: "Patient.birthDate")
        }
        guard let gender = patient["gender"]?.stringValue else { throw FHIRError.required("Patient.gender") }
        guard ["male", "female", "other", "unknown"].contains(gender) else {
            throw FHIRError.invalidValue("Patient.gender must be male, female, other or unknown", expression: "Patient.gender")
        }
        let email = patient["telecom"]?.arrayValue?.compactMap(\.objectValue)
            .first { $0["system"]?.stringValue == "email" }?["value"]?.stringValue
        guard let email, !email.isEmpty else { throw FHIRError.required("Patient.telecom.where(system='email')") }
        guard Self.isPlausibleEmail(email) else {
            throw FHIRError.invalidValue("the email address is not valid", expression: "Patient.telecom.where(system='email').value")
        }
        for identifier in patient["identifier"]?.arrayValue?.compactMap(\.objectValue) ?? [] {
            let system = identifier["system"]?.stringValue
            if system == FHIRSystem.insNIR || system == FHIRSystem.insTest {
                guard let value = identifier["value"]?.stringValue, value.count == 15, value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "A" || $0 == "B") }) else {
                    throw FHIRError.invalidValue("an INS must have 15 characters (NIR + key)", expression: "Patient.identifier.value")
                }
            }
        }
        var pseudonym = first
        if let custom = patient["extension"]?.arrayValue?.compactMap(\.objectValue)
            .first(where: { $0["url"]?.stringValue == FHIRSystem.pseudonymExtension })?["valueString"]?.stringValue,
            !custom.isEmpty {
            pseudonym = custom
        }
        return (patient, PatientFacts(pseudonym: pseudonym, birthDate: birthDate, email: email))
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && email.count <= 254
            && !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }

    /// Creates a carnet; attaches it to the citizen account of its email (created if needed) and
    /// emails that account's share code. A professional creator gets access.
    func createCarnet(_ value: JSONValue, by actor: Actor, notify: Bool = true) throws -> Written {
        var (patient, facts) = try validatePatient(value)
        // Carry the pseudonym explicitly so that Patient reads show what share-code lookups show.
        var extensions = patient["extension"]?.arrayValue?.filter { $0["url"]?.stringValue != FHIRSystem.pseudonymExtension } ?? []
        extensions.append(["url": .string(FHIRSystem.pseudonymExtension), "valueString": .string(facts.pseudonym)])
        patient["extension"] = .array(extensions)

        let id = UUID().uuidString.lowercased()
        let now = Time.nowMs()
        let stamped = JSONValue.object(FHIR.stamp(patient, id: id, version: 1, atMs: now))
        let text = stamped.serialized()
        let (citizenEmail, code, isNewAccount) = try db.transaction { () -> (String, String, Bool) in
            var citizen = try db.query("SELECT id, email, share_code FROM citizens WHERE email = ?", [facts.email]).first
            var isNew = false
            if citizen == nil {
                try insertCitizen(email: facts.email, at: now)
                citizen = try db.query("SELECT id, email, share_code FROM citizens WHERE email = ?", [facts.email]).first
                isNew = true
            }
            guard let citizen, let citizenID = citizen.string("id"), let code = citizen.string("share_code") else {
                throw FHIRError(status: 500, code: "exception", message: "citizen account unavailable")
            }
            var creator: String? = nil
            if case .professional(let pid) = actor { creator = pid }
            try db.query("INSERT INTO carnets(id, citizen_id, pseudonym, birth_date, created_by, created_at, version, resource) VALUES(?,?,?,?,?,?,1,?)",
                         [id, citizenID, facts.pseudonym, facts.birthDate, creator, now, text])
            try store.appendHistory(type: "Patient", id: id, carnet: id, version: 1, method: "POST", resource: text, atMs: now, author: actor.author)
            if let creator { try store.grantAccess(professional: creator, carnet: id, via: "created") }
            return (citizen.string("email") ?? facts.email, code, isNew)
        }
        if notify {
            let reason = isNewAccount
                ? "Un carnet de vaccination électronique a été créé pour vous."
                : "Un nouveau carnet de vaccination électronique a été ajouté à votre compte."
            try sendShareCode(citizenEmail: citizenEmail, code: code, reason: reason)
        }
        log.log(.info, "carnet.created", [("carnet", .string(id)), ("by", .string(actor.author))])
        return Written(status: 201, resource: stamped, version: 1, id: id)
    }

    private func insertCitizen(email: String, at now: Int64) throws {
        for _ in 0..<8 {
            let code = ReadableCode.generate(dataLength: Self.shareCodeLength)
            do {
                try db.query("INSERT INTO citizens(id, email, share_code, created_at) VALUES(?,?,?,?)",
                             [UUID().uuidString.lowercased(), email, code, now])
                return
            } catch let error as SQLiteError where error.isConstraintViolation {
                continue   // a share-code collision (2^-50): draw again
            }
        }
        throw FHIRError(status: 500, code: "exception", message: "could not allocate a share code")
    }

    func sendShareCode(citizenEmail: String, code: String, reason: String) throws {
        let pseudonyms = try db.query(
            "SELECT c.pseudonym FROM carnets c JOIN citizens z ON z.id = c.citizen_id WHERE z.share_code = ? ORDER BY c.rowid",
            [code]).compactMap { $0.string("pseudonym") }
        let file = try mailer.sendShareCode(to: citizenEmail, code: code, pseudonyms: pseudonyms, reason: reason)
        log.log(.info, "email.sent", [("kind", "share-code"), ("file", .string(file))])
    }

    // MARK: Reads

    /// The access a professional has to the carnet holding resource `id`; the same 404 whether the
    /// resource does not exist or belongs to a carnet this professional cannot see.
    func visibleCarnet(ofResource id: String, type: String, professional: String) throws -> (carnet: String, access: Access) {
        let carnet: String?
        if type == "Patient" {
            carnet = try db.query("SELECT id FROM carnets WHERE id = ?", [id]).first?.string("id")
        } else {
            carnet = try db.query("SELECT carnet_id FROM history WHERE resource_id = ? AND resource_type = ? LIMIT 1", [id, type]).first?.string("carnet_id")
        }
        guard let carnet, let access = try store.access(professional: professional, carnet: carnet) else {
            throw FHIRError.notFound(type, id)
        }
        return (carnet, access)
    }

    /// Current (or frozen) version of a resource; 410 once deleted.
    func read(type: String, id: String, professional: String, version: Int? = nil) throws -> (JSONValue, Int) {
        let (_, access) = try visibleCarnet(ofResource: id, type: type, professional: professional)
        let entry: HistoryEntry?
        if let version {
            entry = try store.version(id: id, type: type, version: version, limit: access.limit)
        } else {
            entry = try store.latest(id: id, type: type, limit: access.limit)
        }
        guard let entry else {
            if version != nil { throw FHIRError(status: 404, code: "not-found", message: "\(type)/\(id) has no such version", detail: "not-found") }
            throw FHIRError.notFound(type, id)
        }
        guard entry.method != "DELETE", let text = entry.resource else {
            if version != nil {
                throw FHIRError(status: 410, code: "deleted", message: "this version of \(type)/\(id) is a deletion", detail: "deleted")
            }
            throw FHIRError(status: 410, code: "deleted", message: "\(type)/\(id) was deleted", detail: "deleted")
        }
        return (try JSONValue.parse(Array(text.utf8)), entry.version)
    }

    // MARK: Immunization

    struct ImmunizationFacts {
        let carnet: String
        let identifierSystem: String?
        let identifierValue: String?
    }

    func validateImmunization(_ value: JSONValue) throws -> (JSONObject, ImmunizationFacts) {
        guard case .object(let imm) = value else { throw FHIRError.badRequest("the body must be a JSON object") }
        guard imm["resourceType"]?.stringValue == "Immunization" else {
            throw FHIRError.badRequest("resourceType must be Immunization", expression: "Immunization.resourceType")
        }
        guard let status = imm["status"]?.stringValue else { throw FHIRError.required("Immunization.status") }
        guard ["completed", "entered-in-error", "not-done"].contains(status) else {
            throw FHIRError.invalidValue("Immunization.status must be completed, entered-in-error or not-done", expression: "Immunization.status")
        }
        guard let codings = imm["vaccineCode"]?["coding"]?.arrayValue?.compactMap(\.objectValue), !codings.isEmpty else {
            throw FHIRError.required("Immunization.vaccineCode.coding")
        }
        guard let cis = codings.first(where: { $0["system"]?.stringValue == FHIRSystem.cis }),
              let cisCode = cis["code"]?.stringValue else {
            throw FHIRError.required("Immunization.vaccineCode.coding.where(system='\(FHIRSystem.cis)')")
        }
        guard cisCode.count == 8, cisCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FHIRError.invalidValue("a CIS code has 8 digits", expression: "Immunization.vaccineCode.coding.code")
        }
        for coding in codings {
            guard let system = coding["system"]?.stringValue, let code = coding["code"]?.stringValue else { continue }
            if vaccines.isKnown(system: system, code: code) == false {
                throw FHIRError.business("unknown vaccine code \(code) in \(system)", detail: "unknown-vaccine-code",
                                         expression: "Immunization.vaccineCode.coding")
            }
        }
        guard let reference = imm["patient"]?["reference"]?.stringValue else { throw FHIRError.required("Immunization.patient.reference") }
        let carnet = reference.hasPrefix("Patient/") ? String(reference.dropFirst("Patient/".count)) : ""
        guard !carnet.isEmpty, !carnet.contains("/") else {
            throw FHIRError.invalidValue("Immunization.patient.reference must be Patient/<id>", expression: "Immunization.patient.reference")
        }
        guard let occurrence = imm["occurrenceDateTime"]?.stringValue else { throw FHIRError.required("Immunization.occurrenceDateTime") }
        guard let date = FHIR.datePart(ofDateTime: occurrence) else {
            throw FHIRError.invalidValue("Immunization.occurrenceDateTime is not a valid FHIR dateTime", expression: "Immunization.occurrenceDateTime")
        }
        guard date <= Time.latestToday() else {
            throw FHIRError.business("the vaccination date is in the future", detail: "date-in-future", expression: "Immunization.occurrenceDateTime")
        }
        let identifiers = imm["identifier"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let first = identifiers.first { $0["value"]?.stringValue != nil }
        if imm["identifier"] != nil, first == nil {
            throw FHIRError.required("Immunization.identifier.value")
        }
        return (imm, ImmunizationFacts(carnet: carnet, identifierSystem: first?["system"]?.stringValue,
                                       identifierValue: first?["value"]?.stringValue))
    }

    private func checkAgainstBirthDate(_ imm: JSONObject, carnet: String) throws {
        guard let birth = try db.query("SELECT birth_date FROM carnets WHERE id = ?", [carnet]).first?.string("birth_date"),
              let occurrence = imm["occurrenceDateTime"]?.stringValue, let date = FHIR.datePart(ofDateTime: occurrence) else { return }
        if date < birth {
            throw FHIRError.business("the vaccination date is before the patient's birth date", detail: "date-before-birth",
                                     expression: "Immunization.occurrenceDateTime")
        }
    }

    /// Professionals need active access; the citizen owns every carnet; returns nothing or throws.
    private func requireWrite(carnet: String, actor: Actor, type: String = "Patient", id: String? = nil) throws {
        guard case .professional(let pid) = actor else {
            guard try db.query("SELECT 1 AS x FROM carnets WHERE id = ?", [carnet]).first != nil else { throw FHIRError.notFound(type, id ?? carnet) }
            return
        }
        guard let access = try store.access(professional: pid, carnet: carnet) else { throw FHIRError.notFound(type, id ?? carnet) }
        guard access.isActive else { throw FHIRError.frozen }
    }

    /// Parses `identifier=system|value` (or `identifier=value`).
    static func parseIfNoneExist(_ header: String) throws -> (String?, String) {
        let query = header.hasPrefix("?") ? String(header.dropFirst()) : header
        // Parsed by hand: clients send the "|" raw or as %7C, and URLComponents refuses a raw "|".
        let criteria = query.split(separator: "&", omittingEmptySubsequences: true)
        guard criteria.count == 1, let equals = criteria[0].firstIndex(of: "="),
              criteria[0][..<equals].removingPercentEncoding == "identifier",
              let token = String(criteria[0][criteria[0].index(after: equals)...])
                .replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
              !token.isEmpty else {
            throw FHIRError.badRequest("If-None-Exist supports exactly one criterion: identifier=system|value")
        }
        if let bar = token.firstIndex(of: "|") {
            let system = String(token[..<bar])
            let value = String(token[token.index(after: bar)...])
            guard !value.isEmpty else { throw FHIRError.badRequest("If-None-Exist: empty identifier value") }
            return (system.isEmpty ? nil : system, value)
        }
        return (nil, token)
    }

    private func liveMatch(carnet: String, system: String?, value: String) throws -> SQLRow? {
        if let system {
            return try db.query("SELECT * FROM immunizations WHERE carnet_id = ? AND identifier_system = ? AND identifier_value = ? AND deleted = 0",
                                [carnet, system, value]).first
        }
        return try db.query("SELECT * FROM immunizations WHERE carnet_id = ? AND identifier_value = ? AND deleted = 0 LIMIT 1",
                            [carnet, value]).first
    }

    /// Create, or with `ifNoneExist` a conditional create within the Immunization's carnet:
    /// no live match → 201, one → 200 with the existing resource unchanged.
    func createImmunization(_ value: JSONValue, by actor: Actor, ifNoneExist: String? = nil) throws -> Written {
        let (imm, facts) = try validateImmunization(value)
        try requireWrite(carnet: facts.carnet, actor: actor)
        try checkAgainstBirthDate(imm, carnet: facts.carnet)
        let condition = try ifNoneExist.map(Self.parseIfNoneExist)
        return try db.transaction {
            if let condition, let row = try liveMatch(carnet: facts.carnet, system: condition.0, value: condition.1),
               let text = row.string("resource"), let id = row.string("id") {
                return Written(status: 200, resource: try JSONValue.parse(Array(text.utf8)), version: row.int("version") ?? 1, id: id)
            }
            if let value = facts.identifierValue, try liveMatch(carnet: facts.carnet, system: facts.identifierSystem, value: value) != nil,
               facts.identifierSystem != nil {
                throw FHIRError(status: 409, code: "duplicate",
                                message: "an Immunization with this identifier already exists in this carnet (use If-None-Exist)", detail: "duplicate-identifier")
            }
            let id = UUID().uuidString.lowercased()
            let now = Time.nowMs()
            let stamped = JSONValue.object(FHIR.stamp(imm, id: id, version: 1, atMs: now))
            let text = stamped.serialized()
            try db.query("INSERT INTO immunizations(id, carnet_id, identifier_system, identifier_value, version, deleted, resource) VALUES(?,?,?,?,1,0,?)",
                         [id, facts.carnet, facts.identifierSystem, facts.identifierValue, text])
            try store.appendHistory(type: "Immunization", id: id, carnet: facts.carnet, version: 1, method: "POST", resource: text, atMs: now, author: actor.author)
            log.log(.info, "immunization.created", [("id", .string(id)), ("carnet", .string(facts.carnet)), ("by", .string(actor.author))])
            return Written(status: 201, resource: stamped, version: 1, id: id)
        }
    }

    private func currentImmunization(_ id: String, actor: Actor) throws -> SQLRow {
        guard let row = try db.query("SELECT * FROM immunizations WHERE id = ?", [id]).first, let carnet = row.string("carnet_id") else {
            throw FHIRError.notFound("Immunization", id)
        }
        try requireWrite(carnet: carnet, actor: actor, type: "Immunization", id: id)
        return row
    }

    func updateImmunization(id: String, _ value: JSONValue, ifMatch: String?, by actor: Actor) throws -> Written {
        if case .object(let object) = value, let bodyID = object["id"]?.stringValue {
            guard bodyID == id else { throw FHIRError.badRequest("the resource id does not match the URL", expression: "Immunization.id") }
        } else if case .object = value {
            throw FHIRError.badRequest("an update must carry the resource id", expression: "Immunization.id")
        }
        let (imm, facts) = try validateImmunization(value)
        return try db.transaction {
            let row = try currentImmunization(id, actor: actor)
            let version = row.int("version") ?? 1
            if row.int("deleted") == 1 { throw FHIRError(status: 410, code: "deleted", message: "Immunization/\(id) was deleted", detail: "deleted") }
            if let ifMatch {
                guard let expected = FHIR.parseETag(ifMatch) else { throw FHIRError.badRequest("If-Match must be an ETag such as W/\"1\"") }
                guard expected == version else {
                    throw FHIRError(status: 412, code: "conflict", message: "version conflict: the current version is \(version)", detail: "version-conflict")
                }
            }
            guard facts.carnet == row.string("carnet_id") else {
                throw FHIRError.business("an Immunization cannot move to another carnet", detail: "patient-changed", expression: "Immunization.patient")
            }
            try checkAgainstBirthDate(imm, carnet: facts.carnet)
            if let value = facts.identifierValue, let other = try liveMatch(carnet: facts.carnet, system: facts.identifierSystem, value: value),
               other.string("id") != id {
                throw FHIRError(status: 409, code: "duplicate", message: "another Immunization of this carnet has this identifier", detail: "duplicate-identifier")
            }
            let now = Time.nowMs()
            let stamped = JSONValue.object(FHIR.stamp(imm, id: id, version: version + 1, atMs: now))
            let text = stamped.serialized()
            try db.query("UPDATE immunizations SET identifier_system = ?, identifier_value = ?, version = ?, resource = ? WHERE id = ?",
                         [facts.identifierSystem, facts.identifierValue, version + 1, text, id])
            try store.appendHistory(type: "Immunization", id: id, carnet: facts.carnet, version: version + 1, method: "PUT", resource: text, atMs: now, author: actor.author)
            log.log(.info, "immunization.updated", [("id", .string(id)), ("by", .string(actor.author))])
            return Written(status: 200, resource: stamped, version: version + 1, id: id)
        }
    }

    /// Deletes (a new version marked deleted). Deleting a deleted resource is a no-op.
    @discardableResult
    func deleteImmunization(id: String, ifMatch: String?, by actor: Actor) throws -> Int {
        try db.transaction {
            let row = try currentImmunization(id, actor: actor)
            let version = row.int("version") ?? 1
            if row.int("deleted") == 1 { return version }
            if let ifMatch {
                guard let expected = FHIR.parseETag(ifMatch) else { throw FHIRError.badRequest("If-Match must be an ETag such as W/\"1\"") }
                guard expected == version else {
                    throw FHIRError(status: 412, code: "conflict", message: "version conflict: the current version is \(version)", detail: "version-conflict")
                }
            }
            let now = Time.nowMs()
            let carnet = row.string("carnet_id") ?? ""
            try db.query("UPDATE immunizations SET deleted = 1, version = ? WHERE id = ?", [version + 1, id])
            try store.appendHistory(type: "Immunization", id: id, carnet: carnet, version: version + 1, method: "DELETE", resource: nil, atMs: now, author: actor.author)
            log.log(.info, "immunization.deleted", [("id", .string(id)), ("by", .string(actor.author))])
            return version + 1
        }
    }

    /// Live Immunizations of a carnet (as of the access horizon), ordered by id, after `after`.
    func searchImmunizations(carnet: String, professional: String?, after: String, count: Int) throws -> (entries: [HistoryEntry], total: Int) {
        var limit = Int64.max
        if let professional {
            guard let access = try store.access(professional: professional, carnet: carnet) else { return ([], 0) }
            limit = access.limit
        }
        let latest = """
            FROM history h WHERE h.carnet_id = ? AND h.resource_type = 'Immunization' AND h.seq <= ?
              AND h.seq = (SELECT MAX(h2.seq) FROM history h2 WHERE h2.resource_id = h.resource_id AND h2.seq <= ?)
              AND h.method != 'DELETE'
            """
        let total = try db.query("SELECT COUNT(*) AS n " + latest, [carnet, limit, limit]).first?.int("n") ?? 0
        let rows = try db.query("SELECT h.* " + latest + " AND h.resource_id > ? ORDER BY h.resource_id LIMIT ?",
                                [carnet, limit, limit, after, count])
        return (rows.map(HistoryEntry.init), total)
    }

    /// Carnets this professional can see, ordered by id, after `after`.
    func searchPatients(professional: String, after: String, count: Int) throws -> (ids: [String], total: Int) {
        let total = try db.query("SELECT COUNT(*) AS n FROM access WHERE professional_id = ?", [professional]).first?.int("n") ?? 0
        let rows = try db.query("SELECT carnet_id FROM access WHERE professional_id = ? AND carnet_id > ? ORDER BY carnet_id LIMIT ?",
                                [professional, after, count])
        return (rows.compactMap { $0.string("carnet_id") }, total)
    }

    /// History, newest first: of one resource, or of every resource of `type` this professional can see.
    func history(type: String, id: String?, professional: String, sinceMs: Int64?, before: Int64, count: Int) throws -> [HistoryEntry] {
        if let id {
            let (_, access) = try visibleCarnet(ofResource: id, type: type, professional: professional)
            return try db.query(
                "SELECT * FROM history WHERE resource_id = ? AND resource_type = ? AND seq <= ? AND seq < ? AND at_ms > ? ORDER BY seq DESC LIMIT ?",
                [id, type, access.limit, before, sinceMs ?? -1, count]).map(HistoryEntry.init)
        }
        return try db.query(
            """
            SELECT h.* FROM history h JOIN access a ON a.carnet_id = h.carnet_id AND a.professional_id = ?
            WHERE h.resource_type = ? AND h.seq <= COALESCE(a.horizon_seq, 9223372036854775807) AND h.seq < ? AND h.at_ms > ?
            ORDER BY h.seq DESC LIMIT ?
            """, [professional, type, before, sinceMs ?? -1, count]).map(HistoryEntry.init)
    }

    /// The changes feed: every change (Patient and Immunization) in every carnet this professional
    /// can see, in commit order, after cursor `after`.
    func changes(professional: String, after: Int64, count: Int) throws -> [HistoryEntry] {
        try db.query(
            """
            SELECT h.* FROM history h JOIN access a ON a.carnet_id = h.carnet_id AND a.professional_id = ?
            WHERE h.seq > ? AND h.seq <= COALESCE(a.horizon_seq, 9223372036854775807)
            ORDER BY h.seq ASC LIMIT ?
            """, [professional, after, count]).map(HistoryEntry.init)
    }
}
