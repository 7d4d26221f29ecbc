public import CarnetJSON

/// One vaccine product as a `ValueSet.expansion.contains` entry: what both the library's offline
/// search and the service's `ValueSet/$expand` answer, built in one place.
public struct VaccineExpansionEntry: Sendable, Equatable {
    public var name: String
    /// Every CIS code of the product; the first one is the entry's code.
    public var cisCodes: [String]
    public var nuva: String?
    public var atc: String?
    /// Labels (French) of the diseases the product protects against.
    public var targetDiseases: [String]
    public var marketedInFrance: Bool?

    public init(
        name: String, cisCodes: [String], nuva: String? = nil, atc: String? = nil, targetDiseases: [String] = [],
        marketedInFrance: Bool? = nil
    ) {
        self.name = name
        self.cisCodes = cisCodes
        self.nuva = nuva
        self.atc = atc
        self.targetDiseases = targetDiseases
        self.marketedInFrance = marketedInFrance
    }

    /// The entry: coded by CIS (FR Core), else by NUVA for a product without a CIS code; the
    /// other codes and the target diseases as designations (`VaccineDesignation`).
    public var json: JSONValue {
        var item = JSONObject()
        if let cis = cisCodes.first {
            item["system"] = .string(CodeSystem.cis)
            item["code"] = .string(cis)
        } else if let nuva {
            item["system"] = .string(CodeSystem.nuva)
            item["code"] = .string(nuva)
        }
        item["display"] = .string(name)
        var designations: [JSONValue] = targetDiseases.map { VaccineDesignation.targetDisease.designation($0) }
        if let nuva { designations.append(VaccineDesignation.nuva.designation(nuva)) }
        if let atc { designations.append(VaccineDesignation.atc.designation(atc)) }
        designations += cisCodes.dropFirst().map { VaccineDesignation.cis.designation($0) }
        if let marketedInFrance {
            designations.append(VaccineDesignation.marketedInFrance.designation(marketedInFrance ? "true" : "false"))
        }
        item["designation"] = .array(designations)
        return .object(item)
    }
}

/// `designation.use` codes of a vaccine entry (system `CodeSystem.designationUse`).
public enum VaccineDesignation: String, CaseIterable, Sendable {
    case targetDisease = "target-disease"
    case nuva, atc, cis
    case marketedInFrance = "marketed-in-france"

    func designation(_ value: String) -> JSONValue {
        [
            "language": "fr", "use": ["system": .string(CodeSystem.designationUse), "code": .string(rawValue)],
            "value": .string(value),
        ]
    }
}

/// The ValueSet resource of a vaccine search.
public enum VaccineValueSet {
    /// `identifier` (an expansion id, e.g. `urn:uuid:…`) and `count` are optional; `timestamp`
    /// is a FHIR instant; `entries` are `VaccineExpansionEntry.json` values. `total` is the number
    /// of matches (the entries' count when not given) and `offset` the index of the first entry,
    /// for a paged expansion. An empty filter (the whole value set) is not listed as a parameter.
    public static func expansion(
        filter: String, count: Int? = nil, timestamp: String, identifier: String? = nil, entries: [JSONValue],
        total: Int? = nil, offset: Int? = nil, url: String? = nil
    ) -> JSONValue {
        var expansion = JSONObject()
        if let identifier { expansion["identifier"] = .string(identifier) }
        expansion["timestamp"] = .string(timestamp)
        expansion["total"] = .number(String(total ?? entries.count))
        if let offset { expansion["offset"] = .number(String(offset)) }
        var parameters: [JSONValue] = []
        if let url { parameters.append(["name": .string(WireQuery.expandURL), "valueUri": .string(url)]) }
        if !filter.isEmpty { parameters.append(["name": .string(WireQuery.filter), "valueString": .string(filter)]) }
        if let offset {
            parameters.append(["name": .string(WireQuery.expandOffset), "valueInteger": .number(String(offset))])
        }
        if let count {
            parameters.append(["name": .string(WireQuery.expandCount), "valueInteger": .number(String(count))])
        }
        if !parameters.isEmpty { expansion["parameter"] = .array(parameters) }
        if !entries.isEmpty { expansion["contains"] = .array(entries) }
        return [
            "resourceType": "ValueSet", "url": .string(WireDefinition.vaccineValueSet), "status": "active",
            "expansion": .object(expansion),
        ]
    }

    /// The same text as `expansion(filter:timestamp:entries:).serializedUTF8()`, with entries
    /// already serialised (the library caches each product's entry: a search then copies bytes
    /// instead of building and writing a tree per result, docs/performance.md).
    public static func expansionUTF8(filter: String, timestamp: String, serializedEntries: [[UInt8]]) -> [UInt8] {
        var out = expansion(filter: filter, timestamp: timestamp, entries: [], total: serializedEntries.count)
            .serializedUTF8()
        // `expansion` is the resource's last member and `contains` the expansion's last one, so
        // the text ends with the two objects' closing braces: the entries go just before them.
        guard !serializedEntries.isEmpty, out.count >= 2 else { return out }
        out.removeLast(2)
        out.reserveCapacity(out.count + serializedEntries.reduce(16) { $0 + $1.count + 1 })
        out.append(contentsOf: #","contains":["#.utf8)
        for (i, entry) in serializedEntries.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: entry)
        }
        out.append(contentsOf: "]}}".utf8)
        return out
    }
}
