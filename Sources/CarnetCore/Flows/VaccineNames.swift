internal import CarnetCatalogue
public import CarnetJSON
internal import CarnetWire

/// Names everywhere: a vaccination the host receives (listed, or proposed by sync) names its
/// product even when the system that wrote it gave only a code — the catalogue's name fills each
/// CIS, CIP13 or NUVA coding without a `display`, and `vaccineCode.text` when absent.
extension CarnetClient {
    func named(_ immunization: JSONValue) -> JSONValue {
        guard let codings = immunization["vaccineCode"]?["coding"]?.arrayValue else { return immunization }
        let catalogue = catalogue.current
        var firstName: String?
        let filled: [JSONValue] = codings.map { coding in
            guard let system = coding["system"]?.stringValue, let code = coding["code"]?.stringValue,
                  system == CodeSystem.cis || system == CodeSystem.cip13 || system == CodeSystem.nuva
                    || CodeSystem.nuvaAliases.contains(system),
                  let product = catalogue.product(code: code)
            else { return coding }
            firstName = firstName ?? product.name
            guard coding["display"]?.stringValue?.isEmpty ?? true else { return coding }
            var named = coding
            named["display"] = .string(product.name)
            return named
        }
        var result = immunization
        result["vaccineCode"]?["coding"] = .array(filled)
        if result["vaccineCode"]?["text"] == nil, let firstName { result["vaccineCode"]?["text"] = .string(firstName) }
        return result
    }

    /// `items`' `immunization` members, named.
    func namedProposals(_ items: [JSONValue]) -> [JSONValue] {
        items.map { item in
            guard let immunization = item["immunization"] else { return item }
            var out = item
            out["immunization"] = named(immunization)
            return out
        }
    }
}
