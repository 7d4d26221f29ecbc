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
        let immunization: JSONValue = [
            "type": "Immunization",
            "interaction": [
                ["code": "read"], ["code": "vread"], ["code": "update"], ["code": "delete"],
                ["code": "create"], ["code": "search-type"], ["code": "history-instance"], ["code": "history-type"],
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
                ["name": "_count", "type": "number"],
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
                            + "idempotency-key-reused"),
                ],
                ["code": "search-type"], ["code": "history-instance"],
            ],
            "versioning": "versioned",
            "readHistory": true,
            "searchParam": [["name": "_count", "type": "number"]],
            "operation": [
                operation(.immdsForecast, "GET/POST Patient/{id}/$immds-forecast: recommendations (Parameters)"),
                operation(.shareCodeResend, "POST Patient/{id}/$share-code-resend: re-email the share code"),
            ],
        ]
        let valueSet: JSONValue = [
            "type": "ValueSet", "interaction": [],
            "operation": [operation(.expand, "GET ValueSet/$expand?filter=: vaccine search by name, disease or code")],
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
