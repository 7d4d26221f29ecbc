// What a Patient search may ask (docs/protocol.md §4.3), parsed from its parameters and matched
// against the carnets the professional may see — never wider. Several values separated by
// commas are alternatives (OR); a parameter repeated narrows (AND). Strings match as FHIR says by
// default: the start of the family name, case- and accent-insensitive (`:exact` for the whole
// name as written, `:contains` anywhere).

import CarnetWire
import Foundation

struct PatientCriteria {
    static let parameters: Set<String> = [
        "_id", WireQuery.identifier, "family", "family:exact", "family:contains", "birthdate",
    ]

    var ids: [[String]] = []
    var identifiers: [[(system: String?, value: String?)]] = []
    var families: [(mode: String, values: [String])] = []
    var birthDates: [[DateCriterion]] = []

    /// Only `_id`: the database answers without reading the resources.
    var needsResources: Bool { !identifiers.isEmpty || !families.isEmpty || !birthDates.isEmpty }

    init(_ search: SearchParameters) throws {
        try search.refuseUnsupported(Self.parameters)
        for (name, value) in search.pairs where Self.parameters.contains(name) {
            let alternatives = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !alternatives.contains(where: \.isEmpty) else {
                throw FHIRError.badRequest("\(name) needs a value", expression: name)
            }
            switch name {
            case "_id": ids.append(alternatives)
            case WireQuery.identifier: identifiers.append(try alternatives.map(Self.token))
            case "birthdate": birthDates.append(try alternatives.map(DateCriterion.init))
            default:
                let mode = name.split(separator: ":").dropFirst().first.map(String.init) ?? "starts"
                families.append((mode, alternatives))
            }
        }
    }

    /// `system|value`, `|value` (no system), `system|` (any value of the system) or `value`.
    private static func token(_ text: String) throws -> (system: String?, value: String?) {
        guard let bar = text.firstIndex(of: "|") else { return (nil, text) }
        let system = String(text[..<bar])
        let value = String(text[text.index(after: bar)...])
        guard !(system.isEmpty && value.isEmpty) else {
            throw FHIRError.badRequest("identifier must be system|value or value", expression: WireQuery.identifier)
        }
        return (system.isEmpty ? "" : system, value.isEmpty ? nil : value)
    }

    func matches(id: String) -> Bool {
        ids.allSatisfy { $0.contains(id) }
    }

    func matches(_ patient: JSONValue) -> Bool {
        let identifierList = patient["identifier"]?.arrayValue ?? []
        for alternatives in identifiers {
            let hit = alternatives.contains { wanted in
                identifierList.contains { identifier in
                    let system = identifier["system"]?.stringValue
                    if let wantedSystem = wanted.system {
                        // "" is `|value`: an identifier without a system.
                        if wantedSystem.isEmpty ? system != nil : system != wantedSystem { return false }
                    }
                    return wanted.value == nil || identifier["value"]?.stringValue == wanted.value
                }
            }
            if !hit { return false }
        }
        let names = (patient["name"]?.arrayValue ?? []).compactMap { $0["family"]?.stringValue }
        for (mode, alternatives) in families {
            let hit = alternatives.contains { wanted in
                names.contains { name in
                    switch mode {
                    case "exact": return name == wanted
                    case "contains": return Self.folded(name).contains(Self.folded(wanted))
                    default: return Self.folded(name).hasPrefix(Self.folded(wanted))
                    }
                }
            }
            if !hit { return false }
        }
        let birth = patient["birthDate"]?.stringValue ?? ""
        for alternatives in birthDates where !alternatives.contains(where: { $0.matches(birth) }) {
            return false
        }
        return true
    }

    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}

/// `birthdate=[prefix]YYYY[-MM[-DD]]`: the value names a period (a year, a month, a day) and the
/// prefix (eq by default, ne, lt, le, gt, ge) compares the birth date, a full date, with it.
struct DateCriterion {
    let prefix: String
    let start: String  // first day of the period, YYYY-MM-DD
    let end: String  // an upper bound of its last day (string comparison of full dates)

    init(_ text: String) throws {
        var value = Substring(text)
        let prefixes = ["eq", "ne", "lt", "le", "gt", "ge"]
        if let first = value.first, first.isLetter {
            let candidate = String(value.prefix(2))
            guard prefixes.contains(candidate) else {
                throw FHIRError(
                    status: 400, code: .notSupported, message: "birthdate prefixes are eq, ne, lt, le, gt and ge",
                    detail: .unsupportedParameter, expression: "birthdate")
            }
            prefix = candidate
            value = value.dropFirst(2)
        } else {
            prefix = "eq"
        }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        let valid =
            (parts.count == 1 && parts[0].count == 4 && Int(parts[0]) != nil)
            || (parts.count == 2 && parts[0].count == 4 && parts[1].count == 2 && (1...12).contains(Int(parts[1]) ?? 0))
            || (parts.count == 3 && FHIR.isDate(String(value)))
        guard valid, Int(parts[0]) != nil else {
            throw FHIRError.badRequest("birthdate must be [prefix]YYYY, YYYY-MM or YYYY-MM-DD", expression: "birthdate")
        }
        switch parts.count {
        case 1: (start, end) = ("\(value)-01-01", "\(value)-12-31")
        case 2: (start, end) = ("\(value)-01", "\(value)-31")
        default: (start, end) = (String(value), String(value))
        }
    }

    func matches(_ birth: String) -> Bool {
        guard !birth.isEmpty else { return false }
        switch prefix {
        case "ne": return birth < start || birth > end
        case "lt": return birth < start
        case "le": return birth <= end
        case "gt": return birth > end
        case "ge": return birth >= start
        default: return birth >= start && birth <= end
        }
    }
}
