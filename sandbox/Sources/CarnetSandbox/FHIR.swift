// FHIR R4 building blocks: errors as OperationOutcome, Bundles, ETags, the systems we use.

import Foundation

enum FHIRSystem {
    static let cis = "https://smt.esante.gouv.fr/terminologie-bdpm"
    static let cip13 = "https://smt.esante.gouv.fr/terminologie-cip"
    static let nuva = "http://ivia.org/nuva"
    static let atc = "http://www.whocc.no/atc"
    static let insNIR = "urn:oid:1.2.250.1.213.1.4.8"
    static let insTest = "urn:oid:1.2.250.1.213.1.4.10"
    static let extensionBase = "https://carnet-sandbox.invalid/fhir/StructureDefinition/"
    static let pseudonymExtension = extensionBase + "carnet-pseudonym"
    static let outcomeDetails = "https://carnet-sandbox.invalid/fhir/CodeSystem/outcome"
}

/// An error the HTTP layer turns into an OperationOutcome with this status.
struct FHIRError: Error, CustomStringConvertible {
    let status: Int
    let code: String             // OperationOutcome.issue.code (IssueType)
    let message: String          // human text, never patient data
    var detail: String? = nil    // machine code in OperationOutcome.issue.details (our CodeSystem)
    var expression: String? = nil
    var retryAfter: Int? = nil

    var description: String { "\(status) \(code): \(message)" }

    static func badRequest(_ message: String, expression: String? = nil) -> FHIRError {
        FHIRError(status: 400, code: "invalid", message: message, detail: "malformed", expression: expression)
    }
    static func notFound(_ type: String, _ id: String) -> FHIRError {
        // The id is not repeated: the body is byte-identical for a missing id and for one that exists
        // in a carnet this professional cannot see.
        FHIRError(status: 404, code: "not-found", message: "\(type) not found", detail: "not-found")
    }
    static func required(_ expression: String) -> FHIRError {
        FHIRError(status: 422, code: "required", message: "\(expression) is required", detail: "missing-element", expression: expression)
    }
    static func business(_ message: String, detail: String, expression: String? = nil) -> FHIRError {
        FHIRError(status: 422, code: "business-rule", message: message, detail: detail, expression: expression)
    }
    static func invalidValue(_ message: String, expression: String) -> FHIRError {
        FHIRError(status: 422, code: "value", message: message, detail: "invalid-value", expression: expression)
    }
    static let frozen = FHIRError(status: 403, code: "forbidden",
                                  message: "the patient revoked this professional's access: the carnet is read-only",
                                  detail: "access-revoked")

    var outcome: JSONValue { FHIR.outcome(severity: "error", code: code, message: message, detail: detail, expression: expression) }
}

enum FHIR {
    static func outcome(severity: String, code: String, message: String, detail: String? = nil, expression: String? = nil) -> JSONValue {
        var issue = JSONObject()
        issue["severity"] = .string(severity)
        issue["code"] = .string(code)
        if let detail {
            issue["details"] = ["coding": [["system": .string(FHIRSystem.outcomeDetails), "code": .string(detail)]], "text": .string(message)]
        }
        issue["diagnostics"] = .string(message)
        if let expression { issue["expression"] = [.string(expression)] }
        return ["resourceType": "OperationOutcome", "issue": [.object(issue)]]
    }

    static func etag(_ version: Int) -> String { "W/\"\(version)\"" }

    /// Accepts `W/"3"`, `"3"` or `3`.
    static func parseETag(_ text: String) -> Int? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("W/") { t.removeFirst(2) }
        t = t.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return Int(t)
    }

    /// Puts id and meta (versionId, lastUpdated) on a resource.
    static func stamp(_ resource: JSONObject, id: String, version: Int, atMs: Int64) -> JSONObject {
        var out = JSONObject()
        out["resourceType"] = resource["resourceType"]
        out["id"] = .string(id)
        var meta = resource["meta"]?.objectValue ?? JSONObject()
        meta["versionId"] = .string(String(version))
        meta["lastUpdated"] = .string(Time.instant(ms: atMs))
        out["meta"] = .object(meta)
        for (key, value) in resource.pairs where key != "resourceType" && key != "id" && key != "meta" {
            out[key] = value
        }
        return out
    }

    static func bundle(type: String, total: Int? = nil, links: [(String, String)], entries: [JSONValue]) -> JSONValue {
        var object = JSONObject()
        object["resourceType"] = "Bundle"
        object["id"] = .string(UUID().uuidString.lowercased())
        object["meta"] = ["lastUpdated": .string(Time.instant(ms: Time.nowMs()))]
        object["type"] = .string(type)
        if let total { object["total"] = .int(total) }
        if !links.isEmpty {
            object["link"] = .array(links.map { ["relation": .string($0.0), "url": .string($0.1)] })
        }
        if !entries.isEmpty { object["entry"] = .array(entries) }
        return .object(object)
    }

    /// A history-bundle entry for one version (or a deletion).
    static func historyEntry(_ entry: HistoryEntry, base: String) -> JSONValue {
        var object = JSONObject()
        let url = "\(entry.resourceType)/\(entry.resourceID)"
        object["fullUrl"] = .string("\(base)/\(url)")
        if let text = entry.resource, let resource = try? JSONValue.parse(Array(text.utf8)) {
            object["resource"] = resource
        }
        let method = entry.method
        object["request"] = ["method": .string(method), "url": .string(method == "POST" ? entry.resourceType : url)]
        let status = method == "POST" ? "201 Created" : method == "PUT" ? "200 OK" : "204 No Content"
        object["response"] = ["status": .string(status), "etag": .string(etag(entry.version)),
                              "lastModified": .string(Time.instant(ms: entry.atMs))]
        return .object(object)
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              y >= 1900, (1...12).contains(m), (1...31).contains(d) else { return false }
        var components = DateComponents()
        components.year = y; components.month = m; components.day = d
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let date = calendar.date(from: components) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == y && back.month == m && back.day == d
    }

    /// FHIR dateTime: a date, or a date and time with zone. Returns the date part.
    static func datePart(ofDateTime text: String) -> String? {
        if isDate(text) { return text }
        guard text.count >= 20, text.contains("T") else { return nil }
        let date = String(text.prefix(10))
        guard isDate(date), Time.parseMs(text) != nil else { return nil }
        return date
    }
}
