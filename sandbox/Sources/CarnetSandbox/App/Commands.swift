// The command line: `serve`, and the admin/citizen subcommands that play what happens elsewhere
// in real life (on the service's web site). Subcommands print one JSON document on stdout and
// work while the server runs (shared SQLite file in WAL mode).

import ArgumentParser
import CarnetWire
import Foundation
import Logging

@main
struct CarnetSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carnet-sandbox",
        abstract: "A reference shared electronic vaccination record (CVE) service: FHIR R4 over mutual TLS.",
        subcommands: [
            Serve.self, Init.self, ProfessionalCommand.self, CitizenCommand.self, VaccinationCommand.self,
            AccessCommand.self, TeamCommand.self, OutboxCommand.self,
        ],
        defaultSubcommand: Serve.self)
}

struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (created on first use).")
    var dataDirectory = "carnet-sandbox-data"

    @Option(name: .customLong("log-level"), help: "debug, info, warning or error.")
    var logLevel = "info"

    func open() throws -> Sandbox {
        let level: EventLog.Level =
            ["debug": .debug, "info": .info, "warning": .warning, "error": .error][logLevel] ?? .info
        return try Sandbox(dataDirectory: dataDirectory, log: EventLog(minimum: level))
    }
}

func printJSON(_ value: JSONValue) { print(value.serialized()) }

/// Runs a subcommand body, turning domain errors into a message on stderr and exit status 1.
func cli(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as FHIRError {
        FileHandle.standardError.write(Data("error: \(error.message) (\(error.status))\n".utf8))
        throw ExitCode(1)
    } catch let error as PKIError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(1)
    } catch let error as TeamError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

func parseAddress(_ text: String) throws -> (String, Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
        (0...65535).contains(port)
    else {
        throw ValidationError("an address is HOST:PORT, e.g. 127.0.0.1:8443 (port 0 = any free port)")
    }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    return (host, port)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service (creates the data directory, CA and database on first start).")
    @OptionGroup var data: DataOptions
    @Option(help: "FHIR listener (mutual TLS required).") var address = "127.0.0.1:8443"
    @Option(name: .customLong("enrollment-address"), help: "Enrollment listener (no client certificate).")
    var enrollmentAddress = "127.0.0.1:8444"
    @Option(name: .customLong("rate-limit"), help: "Requests per minute per professional before 429.") var rateLimit =
        600
    @Option(name: .customLong("resend-interval"), help: "Minimum seconds between two share-code resends.")
    var resendInterval = 60
    @Option(name: .customLong("share-code-lock-seconds"), help: "How long five failed claims lock a share code.")
    var shareCodeLockSeconds = 900
    @Option(
        name: .customLong("withdrawal-max-failures"),
        help: "Failed withdrawal codes per address per 15 minutes before 429.") var withdrawalMaxFailures = 5
    @Option(
        name: .customLong("client-certificate-days"),
        help: "Validity of the client certificates issued (enroll and renewal), 1 to 825 days.")
    var clientCertificateDays = 365
    @Flag(name: .customLong("no-batch"), help: "Serve no batch Bundles (a service with single requests only).")
    var noBatch = false

    func run() async throws {
        let sandbox = try data.open()
        sandbox.ca.clientValidity = TimeInterval(min(max(clientCertificateDays, 1), 825)) * 24 * 3600
        var options = ServerOptions()
        (options.host, options.port) = try parseAddress(address)
        (options.enrollmentHost, options.enrollmentPort) = try parseAddress(enrollmentAddress)
        options.requestsPerMinute = max(rateLimit, 1)
        options.shareCodePolicy.resendIntervalSeconds = max(resendInterval, 0)
        options.shareCodePolicy.lockSeconds = max(shareCodeLockSeconds, 1)
        options.withdrawalPolicy.maxFailures = max(withdrawalMaxFailures, 1)
        options.batch = !noBatch
        let level: Logger.Level = data.logLevel == "debug" ? .debug : .info
        let sink = sandbox.log
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, sink: sink, logLevel: level) }
        try await Server.run(sandbox: sandbox, options: options, logLevel: level)
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the data directory, CA, server certificate and database, then exit.")
    @OptionGroup var data: DataOptions
    func run() throws {
        let sandbox = try data.open()
        printJSON([
            "data_dir": .string(sandbox.paths.root), "ca_certificate": .string(sandbox.paths.caCert),
            "database": .string(sandbox.paths.database), "outbox": .string(sandbox.paths.outbox),
        ])
    }
}

// MARK: professionals

struct ProfessionalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "professional", abstract: "Administer professional accounts and their certificates.",
        subcommands: [Create.self, WithdrawalCode.self, ExportP12.self, RevokeCertificate.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; prints its withdrawal code (single use, 14 days).")
        @OptionGroup var data: DataOptions
        @Option var email: String
        @Option var password: String
        @Option var name: String
        @Option(help: "RPPS number (11 digits).") var rpps: String
        func run() throws {
            try cli {
                let sandbox = try data.open()
                let created = try sandbox.professionals.createProfessional(
                    email: email, password: password, name: name, rpps: rpps)
                printJSON([
                    "id": .string(created.id), "email": .string(email),
                    "withdrawal_code": .string(created.withdrawalCode),
                    "withdrawal_code_expires": .string(Time.instant(ms: created.expiresMs)),
                ])
            }
        }
    }

    struct WithdrawalCode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdrawal-code", abstract: "Issue a new withdrawal code for an account.")
        @OptionGroup var data: DataOptions
        @Option var email: String
        func run() throws {
            try cli {
                let sandbox = try data.open()
                guard let professional = try sandbox.store.professional(email: email) else {
                    throw PKIError("no such professional")
                }
                let (code, expires) = try sandbox.professionals.newWithdrawalCode(professional: professional.id)
                printJSON([
                    "id": .string(professional.id), "withdrawal_code": .string(code),
                    "withdrawal_code_expires": .string(Time.instant(ms: expires)),
                ])
            }
        }
    }

    struct ExportP12: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-p12",
            abstract:
                "Issue a certificate with a key generated here and write both as a password-protected PKCS#12 file.")
        @OptionGroup var data: DataOptions
        @Option var email: String
        @Option(help: "PKCS#12 password.") var password: String
        @Option(help: "Output file.") var out: String
        func run() throws {
            try cli {
                let sandbox = try data.open()
                guard let professional = try sandbox.store.professional(email: email) else {
                    throw PKIError("no such professional")
                }
                let issued = try sandbox.professionals.exportPKCS12(
                    professional: professional.id, password: password, to: out)
                printJSON([
                    "file": .string(out), "serial": .string(issued.serialHex),
                    "thumbprint_sha256": .string(issued.thumbprint),
                    "not_after": .string(
                        Time.instant(ms: Int64(issued.certificate.notValidAfter.timeIntervalSince1970 * 1000))),
                ])
            }
        }
    }

    struct RevokeCertificate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-certificate",
            abstract: "Revoke one certificate (--serial, hex) or every valid certificate of an account (--email).")
        @OptionGroup var data: DataOptions
        @Option var email: String?
        @Option var serial: String?
        func run() throws {
            try cli {
                let sandbox = try data.open()
                var professional: String? = nil
                if let email {
                    guard let found = try sandbox.store.professional(email: email) else {
                        throw PKIError("no such professional")
                    }
                    professional = found.id
                }
                guard professional != nil || serial != nil else { throw PKIError("give --email or --serial") }
                let serials = try sandbox.professionals.revoke(professional: professional, serial: serial)
                printJSON(["revoked": .array(serials.map { .string($0) })])
            }
        }
    }
}

// MARK: citizens

struct CitizenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citizen", abstract: "Play a citizen on the service's web site.", subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (or extend) a citizen account with carnets; emails the account's share code once.",
            discussion:
                "--carnet \"PSEUDONYM;GIVEN;FAMILY;YYYY-MM-DD;GENDER\" (repeatable; gender male|female|other|unknown).")
        @OptionGroup var data: DataOptions
        @Option var email: String
        @Option(parsing: .singleValue) var carnet: [String] = []
        func run() throws {
            try cli {
                let sandbox = try data.open()
                guard !carnet.isEmpty else { throw PKIError("give at least one --carnet") }
                var created: [JSONValue] = []
                for spec in carnet {
                    let fields = spec.split(separator: ";", omittingEmptySubsequences: false).map {
                        String($0).trimmingCharacters(in: .whitespaces)
                    }
                    guard fields.count == 5 else {
                        throw PKIError("--carnet is PSEUDONYM;GIVEN;FAMILY;YYYY-MM-DD;GENDER")
                    }
                    let patient: JSONValue = [
                        "resourceType": "Patient",
                        "extension": [
                            ["url": .string(WireDefinition.pseudonymExtension), "valueString": .string(fields[0])]
                        ],
                        "name": [["family": .string(fields[2]), "given": [.string(fields[1])]]],
                        "gender": .string(fields[4]),
                        "birthDate": .string(fields[3]),
                        "telecom": [["system": "email", "value": .string(email)]],
                    ]
                    let written = try sandbox.records.createRecord(patient, by: .citizen, notify: false)
                    created.append(["id": .string(written.id), "pseudonym": .string(fields[0])])
                }
                guard
                    let row = try sandbox.store.db.query(
                        "SELECT email, share_code FROM citizens WHERE email = ?", [email]
                    ).first,
                    let code = row.string("share_code")
                else { throw PKIError("citizen account missing") }
                try sandbox.records.sendShareCode(
                    citizenEmail: row.string("email") ?? email, code: code,
                    reason: "Votre compte de carnets de vaccination électroniques est prêt.")
                printJSON(["email": .string(email), "carnets": .array(created)])
            }
        }
    }
}

// MARK: vaccinations made elsewhere

struct VaccinationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vaccination", abstract: "Add or delete a vaccination as the citizen or as another professional.",
        subcommands: [Add.self, Delete.self])

    static func actor(_ sandbox: Sandbox, professional email: String?) throws -> Actor {
        guard let email else { return .citizen }
        guard let professional = try sandbox.store.professional(email: email) else {
            throw PKIError("no such professional")
        }
        return .professional(professional.id)
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a vaccination in a carnet; prints the Immunization id and version.")
        @OptionGroup var data: DataOptions
        @Option var carnet: String
        @Option(help: "Act as this professional (needs access to the carnet); default: the citizen.") var professional:
            String?
        @Option(help: "CIS code of the product (8 digits).") var cis: String?
        @Option(help: "Product name shown with the code.") var display: String?
        @Option(help: "Vaccination date YYYY-MM-DD.") var date: String?
        @Option var lot: String?
        @Option(name: .customLong("identifier-system")) var identifierSystem: String?
        @Option(name: .customLong("identifier-value")) var identifierValue: String?
        @Option(help: "A whole Immunization resource (JSON file, '-' for stdin) instead of the options above.")
        var json: String?
        func run() throws {
            try cli {
                let sandbox = try data.open()
                let actor = try VaccinationCommand.actor(sandbox, professional: professional)
                let resource: JSONValue
                if let json {
                    let data =
                        json == "-"
                        ? FileHandle.standardInput.readDataToEndOfFile()
                        : (FileManager.default.contents(atPath: json) ?? Data())
                    do { resource = try JSONValue.parse(Array(data)) } catch {
                        throw PKIError("invalid JSON: \(error)")
                    }
                } else {
                    guard let cis, let date else { throw PKIError("give --cis and --date (or --json)") }
                    var coding: JSONObject = ["system": .string(CodeSystem.cis), "code": .string(cis)]
                    if let display { coding["display"] = .string(display) }
                    var object: JSONObject = [
                        "resourceType": "Immunization", "status": "completed",
                        "vaccineCode": ["coding": [.object(coding)]],
                        "patient": ["reference": .string("Patient/\(carnet)")],
                        "occurrenceDateTime": .string(date),
                        "primarySource": false,
                    ]
                    if let lot { object["lotNumber"] = .string(lot) }
                    let system = identifierSystem ?? "urn:carnet-sandbox:web"
                    object["identifier"] = [
                        [
                            "system": .string(system),
                            "value": .string(identifierValue ?? RandomUUID.make()),
                        ]
                    ]
                    resource = .object(object)
                }
                let written = try sandbox.records.createImmunization(resource, by: actor)
                printJSON(["id": .string(written.id), "version": .int(written.version), "carnet": .string(carnet)])
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a vaccination.")
        @OptionGroup var data: DataOptions
        @Option(help: "Immunization id.") var id: String
        @Option(help: "Act as this professional (needs access to the carnet); default: the citizen.") var professional:
            String?
        func run() throws {
            try cli {
                let sandbox = try data.open()
                let actor = try VaccinationCommand.actor(sandbox, professional: professional)
                let version = try sandbox.records.deleteImmunization(id: id, ifMatch: nil, by: actor)
                printJSON(["id": .string(id), "version": .int(version), "deleted": true])
            }
        }
    }
}

// MARK: access

struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access", abstract: "The citizen manages who sees a carnet.", subcommands: [Revoke.self])

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Revoke a professional's or a team's access to a carnet (it freezes, read-only, for them); renews "
                + "and emails the share code.",
            discussion:
                "--professional freezes every grant through which that professional sees the carnet: its own and "
                + "its team's (the whole team then sees the carnet frozen). --team freezes the team's grant only."
        )
        @OptionGroup var data: DataOptions
        @Option var carnet: String
        @Option(help: "The professional's email.") var professional: String?
        @Option(help: "The team's name or id.") var team: String?
        func run() throws {
            try cli {
                let sandbox = try data.open()
                switch (professional, team) {
                case (let email?, nil):
                    guard let found = try sandbox.store.professional(email: email) else {
                        throw PKIError("no such professional")
                    }
                    let (revoked, team) = try sandbox.records.revokeAccess(record: carnet, professional: found.id)
                    guard revoked else { throw PKIError("this professional has no active access to this carnet") }
                    var out: JSONObject = [
                        "carnet": .string(carnet), "professional": .string(found.id), "revoked": true,
                    ]
                    if let team { out["team"] = .string(team) }
                    printJSON(.object(out))
                case (nil, let name?):
                    guard let found = try sandbox.store.team(named: name) else { throw PKIError("no such team") }
                    guard try sandbox.records.revokeAccess(record: carnet, team: found) else {
                        throw PKIError("this team has no active access to this carnet")
                    }
                    printJSON(["carnet": .string(carnet), "team": .string(found.id), "revoked": true])
                default:
                    throw PKIError("give either --professional or --team")
                }
            }
        }
    }
}

// MARK: outbox

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Emails sent by the service.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the .eml files, oldest first (file, to, subject, kind, date).")
        @OptionGroup var data: DataOptions
        func run() throws {
            let paths = DataPaths(root: data.dataDirectory)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: paths.outbox)) ?? []).filter {
                $0.hasSuffix(".eml")
            }.sorted()
            var items: [JSONValue] = []
            for file in files {
                guard let text = try? String(contentsOfFile: paths.outbox + "/" + file, encoding: .utf8) else {
                    continue
                }
                var headers = JSONObject()
                headers["file"] = .string(paths.outbox + "/" + file)
                for line in text.components(separatedBy: "\r\n") {
                    if line.isEmpty { break }
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    let name = line[..<colon].lowercased()
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    switch name {
                    case "to": headers["to"] = .string(value.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
                    case "subject":
                        var subject = value
                        if value.hasPrefix("=?UTF-8?B?"), value.hasSuffix("?="),
                            let data = Data(base64Encoded: String(value.dropFirst(10).dropLast(2))),
                            let decoded = String(data: data, encoding: .utf8)
                        {
                            subject = decoded
                        }
                        headers["subject"] = .string(subject)
                    case "date": headers["date"] = .string(value)
                    case "x-carnet-kind": headers["kind"] = .string(value)
                    default: break
                    }
                }
                items.append(.object(headers))
            }
            printJSON(.array(items))
        }
    }
}
