// The CapabilityStatement served at /fhir/metadata.

import CarnetWire

enum CapabilityStatement {
    static let resource: JSONValue = {
        func operation(_ operation: WireOperation, _ doc: String) -> JSONValue {
            [
                "name": .string(operation.rawValue), "definition": .string(WireDefinition.operation(operation)),
                "documentation": .string(doc),
            ]
        }
        let searchDoc =
            "GET [type]?… or POST [type]/_search with the same parameters form-encoded; _count (0–100, "
            + "default 20), _total (none, estimate, accurate), _summary=count; pages follow link next "
            + "(_after, opaque); a parameter not listed here is refused (400 unsupported-parameter)"
        let writeDoc =
            "Prefer: return=minimal (no body) or return=OperationOutcome honoured; an element not in the "
            + "R4 definition is refused (400 unknown-element): additions go in extension"
        let immunization: JSONValue = [
            "type": "Immunization",
            "interaction": [
                ["code": "read"], ["code": "vread"], ["code": "update", "documentation": .string(writeDoc)],
                ["code": "delete"], ["code": "create", "documentation": .string(writeDoc)],
                ["code": "search-type", "documentation": .string(searchDoc)], ["code": "history-instance"],
                ["code": "history-type"],
            ],
            "documentation": .string(
                "Every stored version carries the extension \(WireDefinition.recordedByExtension) (valueReference: "
                    + "the recording professional's name and IDNPS), set by the service"),
            "versioning": "versioned-update",
            "readHistory": true,
            "updateCreate": false,
            "conditionalCreate": true,
            "conditionalUpdate": false,
            "conditionalDelete": "not-supported",
            "searchParam": [
                [
                    "name": "patient", "type": "reference",
                    "documentation": "required: the record (Patient/<id> or <id>)",
                ],
                [
                    "name": "identifier", "type": "token",
                    "documentation": "system|value or value: the vaccination with that identifier",
                ],
            ],
        ]
        let patient: JSONValue = [
            "type": "Patient",
            "interaction": [
                ["code": "read"], ["code": "vread"],
                [
                    "code": "create",
                    "documentation": .string(
                        "Idempotency-Key (IETF httpapi draft) honoured: the same key and body from the same "
                            + "professional → 200 with the first carnet, no second email; another body → 422 "
                            + "idempotency-key-reused. " + writeDoc),
                ],
                ["code": "search-type", "documentation": .string(searchDoc)], ["code": "history-instance"],
            ],
            "versioning": "versioned",
            "readHistory": true,
            "searchParam": [
                ["name": "_id", "type": "token", "documentation": "the carnet's id; comma-separated ids: any of them"],
                [
                    "name": "identifier", "type": "token",
                    "documentation": "system|value, |value, system| or value (e.g. the INS)",
                ],
                [
                    "name": "family", "type": "string",
                    "documentation": "start of a family name, case- and accent-insensitive; :exact, :contains",
                ],
                [
                    "name": "birthdate", "type": "date",
                    "documentation": "[eq|ne|lt|le|gt|ge]YYYY[-MM[-DD]]; repeat it for a range",
                ],
            ],
            "operation": [
                operation(.immdsForecast, "GET/POST Patient/{id}/$immds-forecast: recommendations (Parameters)"),
                operation(.shareCodeResend, "POST Patient/{id}/$share-code-resend: re-email the share code"),
            ],
        ]
        let valueSet: JSONValue = [
            "type": "ValueSet", "interaction": [],
            "operation": [operation(.expand, "GET ValueSet/$expand?url=&filter=&offset=&count=: the vaccines (url "
                            + WireDefinition.vaccineValueSet + "), by name, disease or code with filter; "
                            + "expansion.total counts every match")],
        ]
        return [
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-30",
            "publisher": "Carnet",
            "kind": "instance",
            "software": ["name": "carnet-sandbox", "version": "1.0.0"],
            "implementation": [
                "description": "Carnet sandbox: reference shared electronic vaccination record (CVE) service"
            ],
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json"],
            "rest": [
                [
                    "mode": "server",
                    "security": [
                        "cors": false,
                        "description": .string(
                            "Mutual TLS with a certificate issued by this service's CA (EST enrollment "
                                + "with a withdrawal code); optional RFC 8705 certificate-bound bearer tokens "
                                + "from /oauth/token. A professional sees the carnets it, or its care team, "
                                + "created or claimed."
                        ),
                    ],
                    "resource": [patient, immunization, valueSet],
                    "interaction": [
                        [
                            "code": "batch",
                            "documentation": .string(
                                "POST [base] with a batch Bundle of Immunization creates (If-None-Exist), "
                                    + "updates and deletes (If-Match): one database transaction per bundle, "
                                    + "one response.status per entry, an OperationOutcome per failed entry; "
                                    + "at most \(BatchRoutes.maxEntries) entries, 1 MiB"),
                        ]
                    ],
                    "operation": [
                        operation(
                            .changes,
                            "GET $changes?_cursor=&_count=: every change in every record this professional "
                                + "can access, in commit order"),
                        operation(
                            .shareCodeLookup,
                            "POST $share-code-lookup: the records a share code opens "
                                + "(pseudonyms, candidate ids)"),
                        operation(
                            .recordClaim, "POST $record-claim: share code + candidate + holder's birth date → access"),
                    ],
                ]
            ],
        ]
    }()
}

extension CapabilityStatement {
    /// The statement of a service without batch Bundles (`serve --no-batch`).
    static let withoutBatch: JSONValue = {
        guard var rests = resource["rest"]?.arrayValue, var server = rests.first else { return resource }
        server["interaction"] = nil
        rests[0] = server
        var statement = resource
        statement["rest"] = .array(rests)
        return statement
    }()
}
