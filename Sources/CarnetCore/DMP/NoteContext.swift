internal import CarnetCatalogue
internal import CarnetJSON

/// What only the host knows about a vaccination note, read from the JSON it passes
/// (`host_context_json`, documented field by field in docs/dmp.md): the document's identity, the
/// patient's identity, the note's author, the vaccinator, the structure. Every value is checked
/// here, before any XML is written; a missing or malformed one fails naming its JSON path
/// (`patient.birth_date`), never quoting it. Nothing is defaulted that the host must decide.
struct NoteContext: Sendable, Equatable {
    /// An HL7 instance identifier: an OID (or UUID) root and an optional extension.
    struct InstanceID: Sendable, Equatable {
        let root: String
        let extension_: String?
    }

    struct Document: Sendable, Equatable {
        let id: InstanceID
        let setID: InstanceID
        let version: Int
        /// `20261130101500+0100`: local time with its offset, as the CI-SIS wants it.
        let effectiveTime: String
        let confidentiality: CISISValueSets.Concept
        let replaces: InstanceID?
    }

    struct INS: Sendable, Equatable {
        /// The 15-character matricule (13 characters and the 2-digit key).
        let value: String
        let oid: String
    }

    struct Patient: Sendable, Equatable {
        /// Present only when the host says the identity is qualified.
        let ins: INS?
        let localID: InstanceID?
        let birthFamilyName: String
        let firstBirthGivenName: String
        let birthGivenNames: String?
        let usedFamilyName: String?
        let usedGivenName: String?
        /// `19790312`.
        let birthTime: String
        let gender: CISISValueSets.Concept
    }

    struct Professional: Sendable, Equatable {
        /// The 11-digit RPPS number; its national identifier is "8" + RPPS.
        let rpps: String
        let profession: CISISValueSets.Concept
        let familyName: String
        let givenName: String?
        let prefix: String?

        var nationalID: String { "8" + rpps }
    }

    struct Structure: Sendable, Equatable {
        /// The national structure identifier (IdNat_Struct, root 1.2.250.1.71.4.2.2).
        let id: String
        let name: String
        let facilityType: CISISValueSets.Concept
        let practiceSetting: CISISValueSets.Concept
    }

    let document: Document
    let patient: Patient
    let author: Professional
    let vaccinator: Professional
    let structure: Structure
    let immunizationType: CISISValueSets.Concept

    static let insOIDs: Set<String> = [
        "1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11",
    ]
    /// Civilités the CI-SIS admits in a professional's name prefix (TRE_R81, TRE_R11).
    static let prefixes: Set<String> = ["M", "MME", "MLLE", "DR", "MC", "MG", "PC", "PG", "PR"]

    static func parse(_ json: JSONValue) throws(CarnetFailure) -> NoteContext {
        guard json.objectValue != nil else { throw .invalidArgument(.invalidJSON("host_context_json")) }
        let reader = Reader(root: json)
        return NoteContext(
            document: try reader.document(), patient: try reader.patient(),
            author: try reader.professional("author"), vaccinator: try reader.professional("vaccinator"),
            structure: try reader.structure(), immunizationType: try reader.immunizationType())
    }
}

/// Reads and checks the members of the host's JSON, one path at a time.
private struct Reader {
    let root: JSONValue

    func value(_ path: String) -> JSONValue? {
        var node: JSONValue? = root
        for key in path.split(separator: ".") { node = node?[String(key)] }
        guard let node, !node.isNull else { return nil }
        return node
    }

    func has(_ path: String) -> Bool { value(path) != nil }

    func text(_ path: String, maxBytes: Int = 256) throws(CarnetFailure) -> String {
        guard let node = value(path) else { throw .invalidArgument(.noteFieldMissing(path)) }
        guard let string = node.stringValue else { throw .invalidArgument(.noteFieldInvalid(path, expected: .text)) }
        let trimmed = NoteText.trimmed(string)
        guard !trimmed.isEmpty else { throw .invalidArgument(.noteFieldMissing(path)) }
        guard trimmed.utf8.count <= maxBytes,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalidArgument(.noteFieldInvalid(path, expected: .text)) }
        return trimmed
    }

    func optionalText(_ path: String) throws(CarnetFailure) -> String? {
        has(path) ? try text(path) : nil
    }

    func oid(_ path: String, allowUUID: Bool = false) throws(CarnetFailure) -> String {
        let value = try text(path, maxBytes: 64)
        guard NoteText.isOID(value) || (allowUUID && NoteText.isUUID(value)) else {
            throw .invalidArgument(.noteFieldInvalid(path, expected: allowUUID ? .oidOrUUID : .oid))
        }
        return value
    }

    func instanceID(_ path: String) throws(CarnetFailure) -> NoteContext.InstanceID {
        guard value(path)?.objectValue != nil else {
            throw has(path) ? .invalidArgument(.noteFieldInvalid(path, expected: .instanceID))
                : .invalidArgument(.noteFieldMissing(path))
        }
        let root = try oid(path + ".root", allowUUID: true)
        let ext = try optionalText(path + ".extension")
        return NoteContext.InstanceID(root: root, extension_: ext)
    }

    func concept(_ path: String) throws(CarnetFailure) -> CISISValueSets.Concept {
        guard value(path)?.objectValue != nil else {
            throw has(path) ? .invalidArgument(.noteFieldInvalid(path, expected: .codedConcept))
                : .invalidArgument(.noteFieldMissing(path))
        }
        let code = try text(path + ".code", maxBytes: 64)
        guard code.unicodeScalars.allSatisfy({ $0.isASCII && !$0.properties.isWhitespace }) else {
            throw .invalidArgument(.noteFieldInvalid(path + ".code", expected: .code))
        }
        return CISISValueSets.Concept(
            code: code, codeSystem: try oid(path + ".system"), displayName: try text(path + ".display"))
    }

    func oneOf(_ path: String, _ concepts: [CISISValueSets.Concept]) throws(CarnetFailure) -> CISISValueSets.Concept {
        let code = try text(path, maxBytes: 64)
        guard let concept = concepts.first(where: { $0.code == code }) else {
            throw .invalidArgument(.noteFieldInvalid(path, expected: .oneOf(concepts.map(\.code))))
        }
        return concept
    }

    func document() throws(CarnetFailure) -> NoteContext.Document {
        guard let versionNode = value("document.version") else {
            throw .invalidArgument(.noteFieldMissing("document.version"))
        }
        guard let version = versionNode.intValue, version >= 1, version <= 999_999 else {
            throw .invalidArgument(.noteFieldInvalid("document.version", expected: .version))
        }
        let time = try text("document.effective_time", maxBytes: 64)
        guard let effective = NoteText.cdaTimestamp(time) else {
            throw .invalidArgument(.noteFieldInvalid("document.effective_time", expected: .dateTime))
        }
        return NoteContext.Document(
            id: try instanceID("document.id"), setID: try instanceID("document.set_id"), version: Int(version),
            effectiveTime: effective, confidentiality: try oneOf("document.confidentiality", CISISValueSets.confidentialities),
            replaces: has("document.replaces") ? try instanceID("document.replaces") : nil)
    }

    func patient() throws(CarnetFailure) -> NoteContext.Patient {
        guard value("patient")?.objectValue != nil else { throw .invalidArgument(.noteFieldMissing("patient")) }
        var ins: NoteContext.INS?
        if has("patient.ins") {
            guard let qualified = value("patient.ins.qualified")?.boolValue else {
                throw .invalidArgument(.noteFieldMissing("patient.ins.qualified"))
            }
            let number = try text("patient.ins.value", maxBytes: 32)
            guard NoteText.isValidINS(number) else {
                throw .invalidArgument(.noteFieldInvalid("patient.ins.value", expected: .insNumber))
            }
            let oid = try text("patient.ins.oid", maxBytes: 64)
            guard NoteContext.insOIDs.contains(oid) else {
                throw .invalidArgument(.noteFieldInvalid("patient.ins.oid", expected: .insOID))
            }
            // The CI-SIS allows the INS in a document only once the identity is qualified.
            if qualified { ins = NoteContext.INS(value: number, oid: oid) }
        }
        let localID = has("patient.local_id") ? try instanceID("patient.local_id") : nil
        if ins == nil && localID == nil { throw .invalidArgument(.noteFieldMissing("patient.local_id")) }
        let birth = try text("patient.birth_date", maxBytes: 10)
        guard birth.utf8.count == 10, let date = CivilDate(birth) else {
            throw .invalidArgument(.noteFieldInvalid("patient.birth_date", expected: .date))
        }
        return NoteContext.Patient(
            ins: ins, localID: localID, birthFamilyName: try text("patient.birth_family_name"),
            firstBirthGivenName: try text("patient.first_birth_given_name"),
            birthGivenNames: try optionalText("patient.birth_given_names"),
            usedFamilyName: try optionalText("patient.used_family_name"),
            usedGivenName: try optionalText("patient.used_given_name"),
            birthTime: NoteText.compactDate(date), gender: try oneOf("patient.gender", CISISValueSets.genders))
    }

    func professional(_ name: String) throws(CarnetFailure) -> NoteContext.Professional {
        guard value(name)?.objectValue != nil else { throw .invalidArgument(.noteFieldMissing(name)) }
        let rpps = try text(name + ".rpps", maxBytes: 32)
        guard rpps.utf8.count == 11, rpps.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidArgument(.noteFieldInvalid(name + ".rpps", expected: .rpps))
        }
        let prefix = try optionalText(name + ".prefix")
        if let prefix, !NoteContext.prefixes.contains(prefix) {
            throw .invalidArgument(.noteFieldInvalid(name + ".prefix", expected: .oneOf(NoteContext.prefixes.sorted())))
        }
        return NoteContext.Professional(
            rpps: rpps, profession: try concept(name + ".profession"), familyName: try text(name + ".family_name"),
            givenName: try optionalText(name + ".given_name"), prefix: prefix)
    }

    func structure() throws(CarnetFailure) -> NoteContext.Structure {
        guard value("structure")?.objectValue != nil else { throw .invalidArgument(.noteFieldMissing("structure")) }
        let id = try text("structure.id", maxBytes: 64)
        guard id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { throw .invalidArgument(.noteFieldInvalid("structure.id", expected: .structureID)) }
        return NoteContext.Structure(
            id: id, name: try text("structure.name"), facilityType: try concept("structure.facility_type"),
            practiceSetting: try concept("structure.practice_setting"))
    }

    func immunizationType() throws(CarnetFailure) -> CISISValueSets.Concept {
        guard has("immunization_type") else { return CISISValueSets.immunizationTypes[0] }
        return try oneOf("immunization_type", CISISValueSets.immunizationTypes)
    }
}
