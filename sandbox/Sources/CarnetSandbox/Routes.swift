// The FHIR R4 endpoints (mutual TLS listener) and the enrollment endpoints (open listener).

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

struct Endpoints: Sendable {
    let service: CarnetService
    let professionals: ProfessionalService
    let tokens: TokenStore
    let throttle: Throttle
    let shareCodePolicy: ShareCodePolicy
    let withdrawalPolicy: WithdrawalPolicy
    let capability: JSONValue
    static let base = "/fhir"
    static let maxCount = 100
    static let defaultCount = 20

    /// Absolute base URL as the client addressed us (for fullUrl and paging links).
    static func baseURL(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        return "https://\(host)\(base)"
    }

    static func count(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("_count") else { return defaultCount }
        guard let value = Int(text), value >= 1 else { throw FHIRError.badRequest("_count must be a positive integer", expression: "_count") }
        return min(value, maxCount)
    }

    static func id(_ context: SandboxContext, _ name: String = "id") throws -> String {
        guard let id = context.parameters.get(name), !id.isEmpty, id.count <= 64,
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw FHIRError.badRequest("invalid resource id")
        }
        return id
    }

    // MARK: mTLS routes

    func register(on router: Router<SandboxContext>) {
        let fhir = router.group(RouterPath(Self.base))
        fhir.get("metadata") { _, _ in Reply.json(capability) }

        // Patient
        fhir.post("Patient") { request, context in
            let professional = try context.requireProfessional()
            let written = try service.createCarnet(try await Body.json(request), by: .professional(professional))
            return Reply.resource(written, location: Self.baseURL(request), type: "Patient")
        }
        fhir.get("Patient") { request, context in try searchPatients(request, context) }
        fhir.get("Patient/:id") { request, context in
            let professional = try context.requireProfessional()
            let (resource, version) = try service.read(type: "Patient", id: try Self.id(context), professional: professional)
            return Reply.json(resource, headers: [(.eTag, FHIR.etag(version))])
        }
        // The patient manages the carnet itself: professionals cannot update or delete it.
        for method in [HTTPRequest.Method.put, .delete, .patch] {
            fhir.on("Patient/:id", method: method) { _, _ -> Response in
                throw FHIRError(status: 405, code: "not-supported", message: "a carnet cannot be updated or deleted by a professional",
                                detail: "method-not-allowed")
            }
        }
        fhir.get("Patient/:id/_history") { request, context in try history(request, context, type: "Patient", id: try Self.id(context)) }
        fhir.get("Patient/:id/_history/:vid") { request, context in try vread(request, context, type: "Patient") }
        fhir.get("Patient/:id/$immds-forecast") { request, context in try forecast(request, context) }
        fhir.post("Patient/:id/$immds-forecast") { request, context in try forecast(request, context) }
        fhir.post("Patient/:id/$resend-share-code") { request, context in
            let professional = try context.requireProfessional()
            try service.resendShareCode(carnet: try Self.id(context), professional: professional, policy: shareCodePolicy)
            return Reply.json(FHIR.outcome(severity: "information", code: "informational",
                                           message: "Le code de partage a été renvoyé au patient.", detail: "share-code-resent"))
        }

        // Immunization
        fhir.post("Immunization") { request, context in
            let professional = try context.requireProfessional()
            let written = try service.createImmunization(try await Body.json(request), by: .professional(professional),
                                                         ifNoneExist: request.headers[.ifNoneExist])
            return Reply.resource(written, location: Self.baseURL(request), type: "Immunization")
        }
        fhir.get("Immunization") { request, context in try searchImmunizations(request, context) }
        fhir.get("Immunization/_history") { request, context in try history(request, context, type: "Immunization", id: nil) }
        fhir.get("Immunization/:id") { request, context in
            let professional = try context.requireProfessional()
            let (resource, version) = try service.read(type: "Immunization", id: try Self.id(context), professional: professional)
            return Reply.json(resource, headers: [(.eTag, FHIR.etag(version))])
        }
        fhir.put("Immunization/:id") { request, context in
            let professional = try context.requireProfessional()
            let written = try service.updateImmunization(id: try Self.id(context), try await Body.json(request),
                                                         ifMatch: request.headers[.ifMatch], by: .professional(professional))
            return Reply.resource(written, location: Self.baseURL(request), type: "Immunization")
        }
        fhir.delete("Immunization/:id") { request, context in
            let professional = try context.requireProfessional()
            let version = try service.deleteImmunization(id: try Self.id(context), ifMatch: request.headers[.ifMatch], by: .professional(professional))
            var headers = HTTPFields()
            headers[.eTag] = FHIR.etag(version)
            return Response(status: .noContent, headers: headers)
        }
        fhir.get("Immunization/:id/_history") { request, context in try history(request, context, type: "Immunization", id: try Self.id(context)) }
        fhir.get("Immunization/:id/_history/:vid") { request, context in try vread(request, context, type: "Immunization") }

        // Changes feed, share codes, vaccines
        fhir.get("$changes") { request, context in try changes(request, context) }
        fhir.post("$share-code-lookup") { request, context in try await lookup(request, context) }
        fhir.post("$share-code-claim") { request, context in try await claim(request, context) }
        fhir.get("ValueSet/$expand") { request, context in try expand(request, context) }

        // Account token and re-enrollment
        router.post("/oauth/token") { request, context in try await token(request, context) }
        router.post("/.well-known/est/simplereenroll") { request, context in
            let professional = try context.requireProfessional()
            let csr = try await certificateRequest(request)
            let issued = try professionals.reenroll(professional: professional, csr: csr)
            return Reply.bytes(Array((issued.pem + professionals.ca.certificatePEM).utf8), contentType: "application/pem-certificate-chain")
        }
        registerPublic(on: router)
    }

    // MARK: open routes (also served on the mTLS listener)

    func registerPublic(on router: Router<SandboxContext>) {
        router.get("/.well-known/est/cacerts") { _, _ in
            Reply.bytes(Array(professionals.ca.certificatePEM.utf8), contentType: "application/pem-certificate-chain")
        }
        router.get("/crl") { _, _ in Reply.bytes(try professionals.crl(), contentType: "application/pkix-crl") }
    }

    func registerEnrollment(on router: Router<SandboxContext>) {
        router.post("/.well-known/est/simpleenroll") { request, context in
            let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
            let key = "withdrawal:" + address
            if let wait = throttle.blocked(key, limit: withdrawalPolicy.maxFailures, seconds: withdrawalPolicy.windowSeconds) {
                throw FHIRError(status: 429, code: "throttled", message: "Trop d'essais de code de retrait : réessayez plus tard.",
                                detail: "withdrawal-code-locked", retryAfter: wait)
            }
            guard let code = Self.basicPassword(request.headers[.authorization]) else {
                throw FHIRError(status: 401, code: "login", message: "send the withdrawal code as the HTTP Basic password", detail: "withdrawal-code-missing")
            }
            let csr = try await certificateRequest(request)
            do {
                let issued = try professionals.enroll(code: code, csr: csr)
                return Reply.bytes(Array((issued.pem + professionals.ca.certificatePEM).utf8), contentType: "application/pem-certificate-chain")
            } catch let error as FHIRError where error.detail?.hasPrefix("withdrawal-code") == true {
                _ = throttle.hit(key, limit: withdrawalPolicy.maxFailures, seconds: withdrawalPolicy.windowSeconds)
                throw error
            }
        }
        registerPublic(on: router)
    }

    static func basicPassword(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let password = String(text[text.index(after: colon)...])
        return password.isEmpty ? nil : password
    }

    func certificateRequest(_ request: Request) async throws -> X509CSR {
        let bytes = try await Body.bytes(request)
        guard !bytes.isEmpty else { throw FHIRError.badRequest("send a PKCS#10 certificate request (PEM or base64 DER)") }
        do {
            return try CertificateAuthority.parseRequest(bytes)
        } catch let error as PKIError {
            throw FHIRError(status: 400, code: "invalid", message: error.description, detail: "invalid-csr")
        }
    }

    // MARK: handlers

    func searchPatients(_ request: Request, _ context: SandboxContext) throws -> Response {
        let professional = try context.requireProfessional()
        let count = try Self.count(request)
        let after = request.uri.queryParameters.get("_after") ?? ""
        let (ids, total) = try service.searchPatients(professional: professional, after: after, count: count)
        let base = Self.baseURL(request)
        var entries: [JSONValue] = []
        for id in ids {
            let (resource, _) = try service.read(type: "Patient", id: id, professional: professional)
            entries.append(["fullUrl": .string("\(base)/Patient/\(id)"), "resource": resource, "search": ["mode": "match"]])
        }
        var links = [("self", "\(base)/Patient?_count=\(count)" + (after.isEmpty ? "" : "&_after=\(after)"))]
        if ids.count == count, let last = ids.last { links.append(("next", "\(base)/Patient?_count=\(count)&_after=\(last)")) }
        return Reply.json(FHIR.bundle(type: "searchset", total: total, links: links, entries: entries))
    }

    func searchImmunizations(_ request: Request, _ context: SandboxContext) throws -> Response {
        let professional = try context.requireProfessional()
        let query = request.uri.queryParameters
        for (name, _) in query where !["patient", "_count", "_after"].contains(String(name)) {
            throw FHIRError(status: 400, code: "not-supported", message: "unsupported search parameter \(name)", detail: "unsupported-parameter")
        }
        guard var patient = query.get("patient"), !patient.isEmpty else {
            throw FHIRError.badRequest("the patient search parameter is required", expression: "patient")
        }
        if patient.hasPrefix("Patient/") { patient.removeFirst("Patient/".count) }
        let count = try Self.count(request)
        let after = query.get("_after") ?? ""
        let (entries, total) = try service.searchImmunizations(carnet: patient, professional: professional, after: after, count: count)
        let base = Self.baseURL(request)
        let items: [JSONValue] = entries.compactMap { entry in
            guard let text = entry.resource, let resource = try? JSONValue.parse(Array(text.utf8)) else { return nil }
            return ["fullUrl": .string("\(base)/Immunization/\(entry.resourceID)"), "resource": resource, "search": ["mode": "match"]]
        }
        let encodedPatient = patient.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-"))) ?? ""
        var links = [("self", "\(base)/Immunization?patient=\(encodedPatient)&_count=\(count)" + (after.isEmpty ? "" : "&_after=\(after)"))]
        if entries.count == count, let last = entries.last {
            links.append(("next", "\(base)/Immunization?patient=\(encodedPatient)&_count=\(count)&_after=\(last.resourceID)"))
        }
        return Reply.json(FHIR.bundle(type: "searchset", total: total, links: links, entries: items))
    }

    func history(_ request: Request, _ context: SandboxContext, type: String, id: String?) throws -> Response {
        let professional = try context.requireProfessional()
        let count = try Self.count(request)
        let query = request.uri.queryParameters
        var sinceMs: Int64? = nil
        if let since = query.get("_since") {
            guard let ms = Time.parseMs(since) else { throw FHIRError.badRequest("_since must be a FHIR instant", expression: "_since") }
            sinceMs = ms - 1   // inclusive: changes at or after _since
        }
        var before = Int64.max
        if let text = query.get("_before_seq") {
            guard let value = Int64(text) else { throw FHIRError.badRequest("invalid paging cursor") }
            before = value
        }
        let entries = try service.history(type: type, id: id, professional: professional, sinceMs: sinceMs, before: before, count: count)
        let base = Self.baseURL(request)
        let path = id.map { "\(base)/\(type)/\($0)/_history" } ?? "\(base)/\(type)/_history"
        var params = "_count=\(count)"
        if let since = query.get("_since") { params += "&_since=" + (String(since).addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-:."))) ?? "") }
        var links = [("self", "\(path)?\(params)")]
        if entries.count == count, let last = entries.last { links.append(("next", "\(path)?\(params)&_before_seq=\(last.seq)")) }
        return Reply.json(FHIR.bundle(type: "history", links: links, entries: entries.map { FHIR.historyEntry($0, base: base) }))
    }

    func vread(_ request: Request, _ context: SandboxContext, type: String) throws -> Response {
        let professional = try context.requireProfessional()
        guard let version = context.parameters.get("vid").flatMap({ Int($0) }) else { throw FHIRError.badRequest("invalid version id") }
        let (resource, v) = try service.read(type: type, id: try Self.id(context), professional: professional, version: version)
        return Reply.json(resource, headers: [(.eTag, FHIR.etag(v))])
    }

    func changes(_ request: Request, _ context: SandboxContext) throws -> Response {
        let professional = try context.requireProfessional()
        let count = try Self.count(request)
        var cursor: Int64 = 0
        if let text = request.uri.queryParameters.get("_cursor"), !text.isEmpty {
            guard let value = Int64(text), value >= 0 else { throw FHIRError.badRequest("invalid _cursor", expression: "_cursor") }
            cursor = value
        }
        let entries = try service.changes(professional: professional, after: cursor, count: count)
        let next = entries.last?.seq ?? cursor
        let base = Self.baseURL(request)
        var links = [("self", "\(base)/$changes?_cursor=\(cursor)&_count=\(count)"),
                     ("cursor", "\(base)/$changes?_cursor=\(next)&_count=\(count)")]
        if entries.count == count { links.append(("next", "\(base)/$changes?_cursor=\(next)&_count=\(count)")) }
        let bundle = FHIR.bundle(type: "history", links: links, entries: entries.map { FHIR.historyEntry($0, base: base) })
        return Reply.json(bundle, headers: [(.carnetCursor, String(next))])
    }

    /// FHIR Parameters → name → value[x] string.
    static func parameters(_ value: JSONValue) throws -> [String: String] {
        guard value["resourceType"]?.stringValue == "Parameters" else {
            throw FHIRError.badRequest("the body must be a Parameters resource", expression: "Parameters")
        }
        var result: [String: String] = [:]
        for item in value["parameter"]?.arrayValue ?? [] {
            guard let name = item["name"]?.stringValue else { continue }
            let text = item["valueString"]?.stringValue ?? item["valueCode"]?.stringValue ?? item["valueDate"]?.stringValue
                ?? item["valueId"]?.stringValue
            if let text { result[name] = text }
        }
        return result
    }

    func shareCodeGuard(_ professional: String) throws {
        if let wait = throttle.blocked("share-fail:" + professional, limit: 30, seconds: 15 * 60) {
            throw FHIRError(status: 429, code: "throttled", message: "too many failed share-code attempts", detail: "rate-limited", retryAfter: wait)
        }
    }

    func countShareCodeFailure(_ professional: String, _ error: Error) {
        if let error = error as? FHIRError, error.detail == "share-code-rejected" {
            _ = throttle.hit("share-fail:" + professional, limit: 30, seconds: 15 * 60)
        }
    }

    func lookup(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let parameters = try Self.parameters(try await Body.json(request))
        guard let code = parameters["code"] else { throw FHIRError.required("Parameters.parameter.where(name='code')") }
        try shareCodeGuard(professional)
        do {
            let candidates = try service.lookupShareCode(code, policy: shareCodePolicy)
            let parts: [JSONValue] = candidates.map { candidate in
                ["name": "candidate", "part": [
                    ["name": "id", "valueString": .string(candidate.id)],
                    ["name": "pseudonym", "valueString": .string(candidate.pseudonym)],
                ]]
            }
            return Reply.json(["resourceType": "Parameters", "parameter": .array(parts)])
        } catch {
            countShareCodeFailure(professional, error)
            throw error
        }
    }

    func claim(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let parameters = try Self.parameters(try await Body.json(request))
        guard let code = parameters["code"] else { throw FHIRError.required("Parameters.parameter.where(name='code')") }
        guard let candidate = parameters["candidate"] else { throw FHIRError.required("Parameters.parameter.where(name='candidate')") }
        guard let birthDate = parameters["birthDate"] else { throw FHIRError.required("Parameters.parameter.where(name='birthDate')") }
        try shareCodeGuard(professional)
        do {
            let carnet = try service.claimShareCode(code, candidate: candidate, birthDate: birthDate, professional: professional, policy: shareCodePolicy)
            let (resource, version) = try service.read(type: "Patient", id: carnet, professional: professional)
            return Reply.json(resource, headers: [(.eTag, FHIR.etag(version)), (.location, "\(Self.baseURL(request))/Patient/\(carnet)")])
        } catch {
            countShareCodeFailure(professional, error)
            throw error
        }
    }

    func forecast(_ request: Request, _ context: SandboxContext) throws -> Response {
        let professional = try context.requireProfessional()
        let id = try Self.id(context)
        let (patient, _) = try service.read(type: "Patient", id: id, professional: professional)
        let (history, _) = try service.searchImmunizations(carnet: id, professional: professional, after: "", count: 10_000)
        let immunizations = history.compactMap { $0.resource.flatMap { try? JSONValue.parse(Array($0.utf8)) } }
        return Reply.json(service.vaccines.forecast(patient: patient, immunizations: immunizations, assessmentDate: Time.latestToday()))
    }

    func expand(_ request: Request, _ context: SandboxContext) throws -> Response {
        _ = try context.requireProfessional()
        let query = request.uri.queryParameters
        let filter = query.get("filter") ?? ""
        guard filter.count <= 100 else { throw FHIRError.badRequest("filter is too long", expression: "filter") }
        let count = min(Int(query.get("count") ?? "") ?? 20, 100)
        let contains = service.vaccines.expand(filter: filter, count: max(count, 1))
        var expansion = JSONObject()
        expansion["identifier"] = .string("urn:uuid:" + UUID().uuidString.lowercased())
        expansion["timestamp"] = .string(Time.instant(ms: Time.nowMs()))
        expansion["total"] = .int(contains.count)
        expansion["parameter"] = [["name": "filter", "valueString": .string(filter)], ["name": "count", "valueInteger": .int(count)]]
        if !contains.isEmpty { expansion["contains"] = .array(contains) }
        let valueSet: JSONValue = [
            "resourceType": "ValueSet",
            "url": "https://carnet-sandbox.invalid/fhir/ValueSet/vaccines",
            "status": "active",
            "expansion": .object(expansion),
        ]
        return Reply.json(valueSet)
    }

    /// RFC 6749 password grant over mTLS; the token is bound to the client certificate (RFC 8705).
    func token(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        guard let thumbprint = context.thumbprint else { throw FHIRError(status: 401, code: "login", message: "a client certificate is required") }
        func oauthError(_ code: String, _ description: String, status: Int = 400) -> Response {
            Reply.json(["error": .string(code), "error_description": .string(description)], status: status, contentType: "application/json")
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            return oauthError("invalid_request", "send application/x-www-form-urlencoded")
        }
        let body = String(decoding: try await Body.bytes(request), as: UTF8.self)
        let items = URLComponents(string: "x:?" + body.replacingOccurrences(of: "+", with: "%20"))?.queryItems ?? []
        var form: [String: String] = [:]
        for item in items { form[item.name] = item.value ?? "" }
        guard form["grant_type"] == "password" else { return oauthError("unsupported_grant_type", "only grant_type=password is supported") }
        guard let email = form["username"], let password = form["password"] else {
            return oauthError("invalid_request", "username and password are required")
        }
        if let wait = throttle.blocked("token-fail:" + professional, limit: 10, seconds: 15 * 60) {
            var response = oauthError("slow_down", "too many failed attempts", status: 429)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        // PBKDF2 (600,000 rounds) runs on NIO's blocking pool, not on a cooperative thread.
        let professionals = self.professionals
        let account = try await NIOThreadPool.singleton.runIfActive {
            try professionals.authenticate(email: email, password: password).map { $0.id }
        }
        guard let account, account == professional else {
            _ = throttle.hit("token-fail:" + professional, limit: 10, seconds: 15 * 60)
            return oauthError("invalid_grant", "wrong email or password for this certificate's account")
        }
        let (token, value) = tokens.issue(professional: professional, thumbprint: thumbprint)
        let response: JSONValue = [
            "access_token": .string(token),
            "token_type": "Bearer",
            "expires_in": .int(Int((value.expiresMs - Time.nowMs()) / 1000)),
            "cnf": ["x5t#S256": .string(Base64URL.encode(Hex.decode(thumbprint)))],
        ]
        return Reply.json(response, contentType: "application/json")
    }
}

typealias X509CSR = CertificateSigningRequestAlias

extension Hex {
    static func decode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
