// The FHIR R4 (4.0.1) elements of the resources the sandbox stores — Patient and Immunization —
// and of every datatype reachable from them, as data. `ElementCheck` walks a written resource
// against this list and refuses an element that is not in it (docs/protocol.md §2 "Only R4
// elements"), so what the sandbox stores, and serves in reads, searches and `$changes`, is R4
// that strict clients parse. Additions the project needs go in `extension`, never as new elements.
//
// A structure maps each element name to its type; a type ending in `*` repeats (a JSON array,
// cardinality 0..*), the others are single values. Choice elements are written `name[x]` with their
// types separated by `|` (expanded to `nameDateTime`, `nameString`, …). Types starting with a
// lower-case letter are primitives (JSON string, boolean or number); the others are the
// structures below, `Resource` (a contained resource) or, for the rarely used datatypes only an
// extension's `value[x]` can hold, a name listed in `opaqueTypes` (accepted without looking inside).
// Every datatype also has `id` and `extension` (Element); every backbone element (`Patient.contact`
// …) also has `modifierExtension`; every resource has the Resource and DomainResource elements.

enum R4Elements {
    static let resourceBase: [String: String] = [
        "id": "id", "meta": "Meta", "implicitRules": "uri", "language": "code",
        "text": "Narrative", "contained": "Resource*", "extension": "Extension*", "modifierExtension": "Extension*",
    ]
    static let elementBase: [String: String] = ["id": "string", "extension": "Extension*"]
    static let backboneBase: [String: String] = [
        "id": "string", "extension": "Extension*", "modifierExtension": "Extension*",
    ]

    /// The resources the sandbox accepts (also as `contained`).
    static let resources: [String: [String: String]] = [
        "Patient": [
            "identifier": "Identifier*", "active": "boolean", "name": "HumanName*", "telecom": "ContactPoint*",
            "gender": "code", "birthDate": "date", "deceased[x]": "boolean|dateTime", "address": "Address*",
            "maritalStatus": "CodeableConcept", "multipleBirth[x]": "boolean|integer", "photo": "Attachment*",
            "contact": "Patient.contact*", "communication": "Patient.communication*",
            "generalPractitioner": "Reference*", "managingOrganization": "Reference", "link": "Patient.link*",
        ],
        "Immunization": [
            "identifier": "Identifier*", "status": "code", "statusReason": "CodeableConcept",
            "vaccineCode": "CodeableConcept", "patient": "Reference", "encounter": "Reference",
            "occurrence[x]": "dateTime|string", "recorded": "dateTime", "primarySource": "boolean",
            "reportOrigin": "CodeableConcept", "location": "Reference", "manufacturer": "Reference",
            "lotNumber": "string", "expirationDate": "date", "site": "CodeableConcept", "route": "CodeableConcept",
            "doseQuantity": "Quantity", "performer": "Immunization.performer*", "note": "Annotation*",
            "reasonCode": "CodeableConcept*", "reasonReference": "Reference*", "isSubpotent": "boolean",
            "subpotentReason": "CodeableConcept*", "education": "Immunization.education*",
            "programEligibility": "CodeableConcept*", "fundingSource": "CodeableConcept",
            "reaction": "Immunization.reaction*", "protocolApplied": "Immunization.protocolApplied*",
        ],
    ]

    /// Backbone elements of those resources.
    static let backbones: [String: [String: String]] = [
        "Patient.contact": [
            "relationship": "CodeableConcept*", "name": "HumanName", "telecom": "ContactPoint*", "address": "Address",
            "gender": "code", "organization": "Reference", "period": "Period",
        ],
        "Patient.communication": ["language": "CodeableConcept", "preferred": "boolean"],
        "Patient.link": ["other": "Reference", "type": "code"],
        "Immunization.performer": ["function": "CodeableConcept", "actor": "Reference"],
        "Immunization.education": [
            "documentType": "string", "reference": "uri", "publicationDate": "dateTime",
            "presentationDate": "dateTime",
        ],
        "Immunization.reaction": ["date": "dateTime", "detail": "Reference", "reported": "boolean"],
        "Immunization.protocolApplied": [
            "series": "string", "authority": "Reference", "targetDisease": "CodeableConcept*",
            "doseNumber[x]": "positiveInt|string", "seriesDoses[x]": "positiveInt|string",
        ],
    ]

    /// Datatypes (Element's `id` and `extension` added).
    static let datatypes: [String: [String: String]] = [
        "Extension": [
            "url": "uri",
            "value[x]": "base64Binary|boolean|canonical|code|date|dateTime|decimal|id|instant|integer|markdown|oid"
                + "|positiveInt|string|time|unsignedInt|uri|url|uuid|Address|Age|Annotation|Attachment"
                + "|CodeableConcept|Coding|ContactPoint|Count|Distance|Duration|HumanName|Identifier|Money|Period"
                + "|Quantity|Range|Ratio|Reference|SampledData|Signature|Timing|ContactDetail|Contributor"
                + "|DataRequirement|Expression|ParameterDefinition|RelatedArtifact|TriggerDefinition|UsageContext"
                + "|Dosage|Meta",
        ],
        "Meta": [
            "versionId": "id", "lastUpdated": "instant", "source": "uri", "profile": "canonical*",
            "security": "Coding*", "tag": "Coding*",
        ],
        "Narrative": ["status": "code", "div": "xhtml"],
        "Identifier": [
            "use": "code", "type": "CodeableConcept", "system": "uri", "value": "string", "period": "Period",
            "assigner": "Reference",
        ],
        "HumanName": [
            "use": "code", "text": "string", "family": "string", "given": "string*", "prefix": "string*",
            "suffix": "string*", "period": "Period",
        ],
        "ContactPoint": ["system": "code", "value": "string", "use": "code", "rank": "positiveInt", "period": "Period"],
        "Address": [
            "use": "code", "type": "code", "text": "string", "line": "string*", "city": "string", "district": "string",
            "state": "string", "postalCode": "string", "country": "string", "period": "Period",
        ],
        "CodeableConcept": ["coding": "Coding*", "text": "string"],
        "Coding": ["system": "uri", "version": "string", "code": "code", "display": "string", "userSelected": "boolean"],
        "Reference": ["reference": "string", "type": "uri", "identifier": "Identifier", "display": "string"],
        "Period": ["start": "dateTime", "end": "dateTime"],
        "Quantity": ["value": "decimal", "comparator": "code", "unit": "string", "system": "uri", "code": "code"],
        "Annotation": ["author[x]": "Reference|string", "time": "dateTime", "text": "markdown"],
        "Attachment": [
            "contentType": "code", "language": "code", "data": "base64Binary", "url": "url", "size": "unsignedInt",
            "hash": "base64Binary", "title": "string", "creation": "dateTime",
        ],
        // Primitive extensions (`_birthDate`): only Element's own members.
        "Element": [:],
    ]

    /// Datatypes only an extension's `value[x]` reaches, which the project never uses: accepted as
    /// JSON objects without their content being checked.
    static let opaqueTypes: Set<String> = [
        "Age", "Count", "Distance", "Duration", "Money", "Range", "Ratio", "SampledData", "Signature", "Timing",
        "ContactDetail", "Contributor", "DataRequirement", "Expression", "ParameterDefinition", "RelatedArtifact",
        "TriggerDefinition", "UsageContext", "Dosage",
    ]

    /// Elements a strict parser requires (min 1) in the structures above, besides the resources'
    /// own rules (RecordCreation.swift, Immunizations.swift).
    static let required: [String: [String]] = [
        "Extension": ["url"], "Narrative": ["status", "div"], "Patient.communication": ["language"],
        "Patient.link": ["other", "type"], "Immunization.performer": ["actor"], "Annotation": ["text"],
    ]

    /// JSON kind of each primitive type (FHIR JSON §2.6.2).
    enum PrimitiveKind { case string, boolean, integer, decimal }
    static func kind(ofPrimitive type: String) -> PrimitiveKind {
        switch type {
        case "boolean": return .boolean
        case "integer", "positiveInt", "unsignedInt": return .integer
        case "decimal": return .decimal
        default: return .string
        }
    }
}
