// FHIR R4 building blocks the sandbox alone needs: ETags, meta stamping, Bundles, dates.
// (What the library needs too — OperationOutcome, Parameters, code systems — is in CarnetWire.)

import CarnetCatalogue
import Foundation

enum FHIR {
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
        object["id"] = .string(RandomUUID.make())
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
        object["response"] = [
            "status": .string(status), "etag": .string(etag(entry.version)),
            "lastModified": .string(Time.instant(ms: entry.atMs)),
        ]
        return .object(object)
    }

    /// A full FHIR date `yyyy-mm-dd` that exists, from 1900 on.
    static func isDate(_ text: String) -> Bool {
        guard let date = CivilDate(text) else { return false }
        return date.year >= 1900
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
