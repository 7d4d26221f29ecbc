// Writing vaccinations: validation, conditional create (If-None-Exist), versioned update (If-Match),
// delete. Every write appends to the history the changes feed reads, and every stored version
// says who recorded it (RecordedBy.swift).

import CarnetWire
import Foundation

extension RecordService {
    // MARK: Immunization

    struct ImmunizationFacts {
        let record: String
        let identifierSystem: String?
        let identifierValue: String?
    }

    func validateImmunization(_ value: JSONValue) throws -> (JSONObject, ImmunizationFacts) {
        guard case .object(let imm) = value else { throw FHIRError.badRequest("the body must be a JSON object") }
        guard imm["resourceType"]?.stringValue == "Immunization" else {
            throw FHIRError.badRequest("resourceType must be Immunization", expression: "Immunization.resourceType")
        }
        try ElementCheck.check(imm, type: "Immunization")
        guard let status = imm["status"]?.stringValue else { throw FHIRError.required("Immunization.status") }
        guard ["completed", "entered-in-error", "not-done"].contains(status) else {
            throw FHIRError.invalidValue(
                "Immunization.status must be completed, entered-in-error or not-done", expression: "Immunization.status"
            )
        }
        guard let codings = imm["vaccineCode"]?["coding"]?.arrayValue?.compactMap(\.objectValue), !codings.isEmpty
        else {
            throw FHIRError.required("Immunization.vaccineCode.coding")
        }
        guard let cis = codings.first(where: { $0["system"]?.stringValue == CodeSystem.cis }),
            let cisCode = cis["code"]?.stringValue
        else {
            throw FHIRError.required("Immunization.vaccineCode.coding.where(system='\(CodeSystem.cis)')")
        }
        guard cisCode.count == 8, cisCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FHIRError.invalidValue("a CIS code has 8 digits", expression: "Immunization.vaccineCode.coding.code")
        }
        for coding in codings {
            guard let system = coding["system"]?.stringValue, let code = coding["code"]?.stringValue else { continue }
            if vaccines.isKnown(system: system, code: code) == false {
                throw FHIRError.business(
                    "unknown vaccine code \(code) in \(system)", detail: .unknownVaccineCode,
                    expression: "Immunization.vaccineCode.coding")
            }
        }
        guard let reference = imm["patient"]?["reference"]?.stringValue else {
            throw FHIRError.required("Immunization.patient.reference")
        }
        let record = reference.hasPrefix("Patient/") ? String(reference.dropFirst("Patient/".count)) : ""
        guard !record.isEmpty, !record.contains("/") else {
            throw FHIRError.invalidValue(
                "Immunization.patient.reference must be Patient/<id>", expression: "Immunization.patient.reference")
        }
        guard let occurrence = imm["occurrenceDateTime"]?.stringValue else {
            throw FHIRError.required("Immunization.occurrenceDateTime")
        }
        guard let date = FHIR.datePart(ofDateTime: occurrence) else {
            throw FHIRError.invalidValue(
                "Immunization.occurrenceDateTime is not a valid FHIR dateTime",
                expression: "Immunization.occurrenceDateTime")
        }
        guard date <= Time.today().iso else {
            throw FHIRError.business(
                "the vaccination date is in the future", detail: .dateInFuture,
                expression: "Immunization.occurrenceDateTime")
        }
        let identifiers = imm["identifier"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let first = identifiers.first { $0["value"]?.stringValue != nil }
        if imm["identifier"] != nil, first == nil {
            throw FHIRError.required("Immunization.identifier.value")
        }
        return (
            imm,
            ImmunizationFacts(
                record: record, identifierSystem: first?["system"]?.stringValue,
                identifierValue: first?["value"]?.stringValue)
        )
    }

    private func checkAgainstBirthDate(_ imm: JSONObject, record: String, memo: WriteMemo? = nil) throws {
        let known: String?
        if let memo, let remembered = memo.birthDates[record] {
            known = remembered
        } else {
            known = try db.query("SELECT birth_date FROM carnets WHERE id = ?", [record]).first?.string("birth_date")
            memo?.birthDates[record] = .some(known)
        }
        guard
            let birth = known,
            let occurrence = imm["occurrenceDateTime"]?.stringValue, let date = FHIR.datePart(ofDateTime: occurrence)
        else { return }
        if date < birth {
            throw FHIRError.business(
                "the vaccination date is before the patient's birth date", detail: .dateBeforeBirth,
                expression: "Immunization.occurrenceDateTime")
        }
    }

    /// Professionals need active access; the citizen owns every record; returns nothing or throws.
    private func requireWrite(
        record: String, actor: Actor, type: String = "Patient", id: String? = nil, memo: WriteMemo? = nil
    ) throws {
        if let memo, memo.writable.contains(record) { return }
        if case .professional(let pid) = actor {
            guard let access = try store.access(professional: pid, record: record) else {
                throw FHIRError.notFound(type, id ?? record)
            }
            guard access.isActive else { throw FHIRError.frozen }
        } else {
            guard try db.query("SELECT 1 AS x FROM carnets WHERE id = ?", [record]).first != nil else {
                throw FHIRError.notFound(type, id ?? record)
            }
        }
        memo?.writable.insert(record)
    }

    /// Parses `identifier=system|value` (or `identifier=value`).
    static func parseIfNoneExist(_ header: String) throws -> (String?, String) {
        // Parsed by hand, on UTF-8 bytes (every conditional create of a batch goes through here):
        // clients send the "|" raw or as %7C, and URLComponents refuses a raw "|".
        var query = Substring(header).utf8
        if query.first == UInt8(ascii: "?") { query = query.dropFirst() }
        let criteria = query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true)
        guard criteria.count == 1, let equals = criteria[0].firstIndex(of: UInt8(ascii: "=")),
            PercentDecoding.decode(Substring(criteria[0][..<equals]), plusAsSpace: false) == "identifier",
            let token = PercentDecoding.decode(Substring(criteria[0][criteria[0].index(after: equals)...])),
            !token.isEmpty
        else {
            throw FHIRError.badRequest("If-None-Exist supports exactly one criterion: identifier=system|value")
        }
        if let bar = token.utf8.firstIndex(of: UInt8(ascii: "|")) {
            let system = String(token[..<bar])
            let value = String(token[token.utf8.index(after: bar)...])
            guard !value.isEmpty else { throw FHIRError.badRequest("If-None-Exist: empty identifier value") }
            return (system.isEmpty ? nil : system, value)
        }
        return (nil, token)
    }

    /// A search's `identifier` token, already percent-decoded: `system|value` or `value`.
    static func identifierToken(_ token: String) -> (system: String?, value: String)? {
        guard let bar = token.firstIndex(of: "|") else { return token.isEmpty ? nil : (nil, token) }
        let system = String(token[..<bar])
        let value = String(token[token.index(after: bar)...])
        guard !value.isEmpty else { return nil }
        return (system.isEmpty ? nil : system, value)
    }

    private func liveMatch(record: String, system: String?, value: String) throws -> SQLRow? {
        if let system {
            return try db.query(
                "SELECT * FROM immunizations WHERE carnet_id = ? AND identifier_system = ? AND "
                    + "identifier_value = ? AND deleted = 0",
                [record, system, value]
            ).first
        }
        return try db.query(
            "SELECT * FROM immunizations WHERE carnet_id = ? AND identifier_value = ? AND deleted = 0 LIMIT 1",
            [record, value]
        ).first
    }

    /// Create, or with `ifNoneExist` a conditional create within the Immunization's record:
    /// no live match → 201, one → 200 with the existing resource unchanged.
    /// `memo`: the batch's lookups (WriteMemo.swift); nil for a single request.
    func createImmunization(
        _ value: JSONValue, by actor: Actor, ifNoneExist: String? = nil, memo: WriteMemo? = nil
    ) throws -> Written {
        let (imm, facts) = try validateImmunization(value)
        try requireWrite(record: facts.record, actor: actor, memo: memo)
        try checkAgainstBirthDate(imm, record: facts.record, memo: memo)
        let condition = try ifNoneExist.map(Self.parseIfNoneExist)
        return try db.transaction {
            if let condition, let row = try liveMatch(record: facts.record, system: condition.0, value: condition.1),
                let text = row.string("resource"), let id = row.string("id")
            {
                return Written(
                    status: 200, resource: try JSONValue.parse(Array(text.utf8)), version: row.int("version") ?? 1,
                    id: id)
            }
            // The document's own identifier already taken (asked again only when it is not the
            // condition just looked up and found free).
            if let value = facts.identifierValue, let system = facts.identifierSystem,
                condition.map({ $0.0 != system || $0.1 != value }) ?? true,
                try liveMatch(record: facts.record, system: system, value: value) != nil
            {
                throw FHIRError(
                    status: 409, code: .duplicate,
                    message: "an Immunization with this identifier already exists in this carnet (use If-None-Exist)",
                    detail: .duplicateIdentifier)
            }
            let now = Time.nowMs()
            let id = RandomUUID.makeTimeOrdered(nowMs: now)
            let recordedBy: JSONValue?
            if let memo, let remembered = memo.recordedBy {
                recordedBy = remembered
            } else {
                recordedBy = try recordedByExtension(for: actor)
                memo?.recordedBy = .some(recordedBy)
            }
            let recorded = Self.settingRecordedBy(imm, recordedBy)
            let stamped = JSONValue.object(FHIR.stamp(recorded, id: id, version: 1, atMs: now))
            let text = stamped.serialized()
            try db.query(
                "INSERT INTO immunizations(id, carnet_id, identifier_system, identifier_value, version, "
                    + "deleted, resource) VALUES(?,?,?,?,1,0,?)",
                [id, facts.record, facts.identifierSystem, facts.identifierValue, text])
            try store.appendHistory(
                type: "Immunization", id: id, record: facts.record, version: 1, method: "POST", resource: text,
                atMs: now, author: actor.author)
            log.log(
                .info, "immunization.created",
                [("id", .string(id)), ("carnet", .string(facts.record)), ("by", .string(actor.author))])
            return Written(status: 201, resource: stamped, version: 1, id: id)
        }
    }

    private func currentImmunization(_ id: String, actor: Actor) throws -> SQLRow {
        guard let row = try db.query("SELECT * FROM immunizations WHERE id = ?", [id]).first,
            let record = row.string("carnet_id")
        else {
            throw FHIRError.notFound("Immunization", id)
        }
        try requireWrite(record: record, actor: actor, type: "Immunization", id: id)
        return row
    }

    func updateImmunization(id: String, _ value: JSONValue, ifMatch: String?, by actor: Actor) throws -> Written {
        if case .object(let object) = value, let bodyID = object["id"]?.stringValue {
            guard bodyID == id else {
                throw FHIRError.badRequest("the resource id does not match the URL", expression: "Immunization.id")
            }
        } else if case .object = value {
            throw FHIRError.badRequest("an update must carry the resource id", expression: "Immunization.id")
        }
        let (imm, facts) = try validateImmunization(value)
        return try db.transaction {
            let row = try currentImmunization(id, actor: actor)
            let version = row.int("version") ?? 1
            if row.int("deleted") == 1 {
                throw FHIRError(
                    status: 410, code: .deleted, message: "Immunization/\(id) was deleted", detail: .deleted)
            }
            if let ifMatch {
                guard let expected = FHIR.parseETag(ifMatch) else {
                    throw FHIRError.badRequest("If-Match must be an ETag such as W/\"1\"")
                }
                guard expected == version else {
                    throw FHIRError(
                        status: 412, code: .conflict, message: "version conflict: the current version is \(version)",
                        detail: .versionConflict)
                }
            }
            guard facts.record == row.string("carnet_id") else {
                throw FHIRError.business(
                    "an Immunization cannot move to another carnet", detail: .patientChanged,
                    expression: "Immunization.patient")
            }
            try checkAgainstBirthDate(imm, record: facts.record)
            if let value = facts.identifierValue,
                let other = try liveMatch(record: facts.record, system: facts.identifierSystem, value: value),
                other.string("id") != id
            {
                throw FHIRError(
                    status: 409, code: .duplicate, message: "another Immunization of this carnet has this identifier",
                    detail: .duplicateIdentifier)
            }
            let now = Time.nowMs()
            // Each version names its own writer: the body's copy of the previous one is replaced.
            let recorded = Self.settingRecordedBy(imm, try recordedByExtension(for: actor))
            let stamped = JSONValue.object(FHIR.stamp(recorded, id: id, version: version + 1, atMs: now))
            let text = stamped.serialized()
            try db.query(
                "UPDATE immunizations SET identifier_system = ?, identifier_value = ?, version = ?, resource "
                    + "= ? WHERE id = ?",
                [facts.identifierSystem, facts.identifierValue, version + 1, text, id])
            try store.appendHistory(
                type: "Immunization", id: id, record: facts.record, version: version + 1, method: "PUT", resource: text,
                atMs: now, author: actor.author)
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
                guard let expected = FHIR.parseETag(ifMatch) else {
                    throw FHIRError.badRequest("If-Match must be an ETag such as W/\"1\"")
                }
                guard expected == version else {
                    throw FHIRError(
                        status: 412, code: .conflict, message: "version conflict: the current version is \(version)",
                        detail: .versionConflict)
                }
            }
            let now = Time.nowMs()
            let record = row.string("carnet_id") ?? ""
            try db.query("UPDATE immunizations SET deleted = 1, version = ? WHERE id = ?", [version + 1, id])
            try store.appendHistory(
                type: "Immunization", id: id, record: record, version: version + 1, method: "DELETE", resource: nil,
                atMs: now, author: actor.author)
            log.log(.info, "immunization.deleted", [("id", .string(id)), ("by", .string(actor.author))])
            return version + 1
        }
    }
}
