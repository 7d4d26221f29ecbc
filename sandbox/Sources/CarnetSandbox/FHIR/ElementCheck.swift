// Refuses, at write, a resource that is not R4 JSON: an element not in the R4 definition (400
// `unknown-element`, `expression` naming it), or an element of the wrong JSON shape — a list where
// one value goes, an object where a string goes, a missing `Extension.url` (400 `malformed`).
// The element list is data (R4Elements.swift). The resource's own rules (required elements,
// values) are checked after this, by the record service.

import CarnetWire

enum ElementCheck {
    /// One element's type: the structure or primitive name, whether it repeats, and what the walk
    /// does with it, decided once when the table is built (every element of every write is looked
    /// up here; asking the name's first Character whether it is lower case, each time, was a
    /// Unicode property lookup per element).
    struct ElementType {
        enum Shape {
            case primitive(R4Elements.PrimitiveKind)
            case resource  // a contained resource: walked as the resource its resourceType names
            case opaque  // accepted without looking inside (R4Elements.opaqueTypes)
            case structure  // a datatype or backbone element, walked by its own table
        }
        let name: String
        let repeats: Bool
        let shape: Shape

        init(name: String, repeats: Bool) {
            self.name = name
            self.repeats = repeats
            if name.first?.isLowercase ?? false {
                shape = .primitive(R4Elements.kind(ofPrimitive: name))
            } else if name == "Resource" {
                shape = .resource
            } else if R4Elements.opaqueTypes.contains(name) {
                shape = .opaque
            } else {
                shape = .structure
            }
        }

        var isPrimitive: Bool {
            if case .primitive = shape { return true }
            return false
        }
    }

    /// Every structure (resources, backbones, datatypes) with its inherited and choice elements spelled out.
    static let structures: [String: [String: ElementType]] = {
        var out: [String: [String: ElementType]] = [:]
        for (name, elements) in R4Elements.resources { out[name] = expand(elements, base: R4Elements.resourceBase) }
        for (name, elements) in R4Elements.backbones { out[name] = expand(elements, base: R4Elements.backboneBase) }
        for (name, elements) in R4Elements.datatypes { out[name] = expand(elements, base: R4Elements.elementBase) }
        return out
    }()

    private static func expand(_ elements: [String: String], base: [String: String]) -> [String: ElementType] {
        var out: [String: ElementType] = [:]
        func type(_ text: Substring) -> ElementType {
            text.hasSuffix("*") ? ElementType(name: String(text.dropLast()), repeats: true)
                : ElementType(name: String(text), repeats: false)
        }
        for (name, text) in base.merging(elements, uniquingKeysWith: { $1 }) {
            guard name.hasSuffix("[x]") else {
                out[name] = type(Substring(text))
                continue
            }
            let stem = name.dropLast(3)
            for choice in text.split(separator: "|") {
                out[stem + choice.prefix(1).uppercased() + choice.dropFirst()] = type(choice)
            }
        }
        return out
    }

    /// Throws the 400 OperationOutcome of the first element of `resource` that is not R4.
    static func check(_ resource: JSONObject, type: String) throws {
        try walk(resource, structure: type, path: type, isResource: true)
    }

    private static func walk(_ object: JSONObject, structure: String, path: String, isResource: Bool) throws {
        guard let elements = structures[structure] else { return }
        for member in object.members {  // not `pairs`, which copies them into a new array
            let key = member.key, value = member.value
            if isResource, key == "resourceType" { continue }
            // Built only where an error or a nested object needs it: most elements are primitives
            // that pass, and building every path was most of this walk's cost.
            let here = { "\(path).\(key)" }
            if key.utf8.first == UInt8(ascii: "_"), key.utf8.count > 1 {
                // A primitive's id and extensions (`_birthDate`, or an array of them for `_given`).
                guard let base = elements[String(key.dropFirst())], base.isPrimitive else {
                    throw unknown(here(), in: structure)
                }
                try each(value, repeats: base.repeats, path: here(), nullAllowed: true) { object, at in
                    try walk(object, structure: "Element", path: at, isResource: false)
                }
                continue
            }
            guard let type = elements[key] else { throw unknown(here(), in: structure) }
            switch type.shape {
            case .primitive(let kind):
                try primitive(value, type: type, kind: kind, path: here)
            case .resource:
                try each(value, repeats: type.repeats, path: here()) { object, at in
                    guard let kind = object["resourceType"]?.stringValue, R4Elements.resources[kind] != nil else {
                        throw FHIRError(
                            status: 400, code: .notSupported,
                            message: "contained resources must be Patient or Immunization", detail: .unknownElement,
                            expression: at)
                    }
                    try walk(object, structure: kind, path: at, isResource: true)
                }
            case .opaque:
                try each(value, repeats: type.repeats, path: here()) { _, _ in }
            case .structure:
                try each(value, repeats: type.repeats, path: here()) { object, at in
                    try walk(object, structure: type.name, path: at, isResource: false)
                }
            }
        }
        for name in R4Elements.required[structure] ?? [] where object[name] == nil {
            throw malformed("\(path).\(name) is required", path: "\(path).\(name)")
        }
    }

    /// `value` as the element's cardinality says: one JSON object, or an array of them.
    private static func each(
        _ value: JSONValue, repeats: Bool, path: String, nullAllowed: Bool = false,
        _ body: (JSONObject, String) throws -> Void
    ) throws {
        switch value {
        case .object(let object) where !repeats:
            try body(object, path)
        case .array(let items) where repeats:
            for (index, item) in items.enumerated() {
                if nullAllowed, case .null = item { continue }
                guard case .object(let object) = item else {
                    throw malformed("\(path) must be an array of JSON objects", path: "\(path)[\(index)]")
                }
                try body(object, "\(path)[\(index)]")
            }
        default:
            throw malformed(
                repeats ? "\(path) must be an array (it repeats)" : "\(path) must be a JSON object", path: path)
        }
    }

    private static func primitive(
        _ value: JSONValue, type: ElementType, kind: R4Elements.PrimitiveKind, path: () -> String
    ) throws {
        if type.repeats {
            guard case .array(let items) = value else {
                throw malformed("\(path()) must be an array (it repeats)", path: path())
            }
            for (index, item) in items.enumerated() {
                try single(item, type: type.name, kind: kind, path: { "\(path())[\(index)]" })
            }
        } else {
            try single(value, type: type.name, kind: kind, path: path)
        }
    }

    private static func single(
        _ value: JSONValue, type: String, kind: R4Elements.PrimitiveKind, path lazyPath: () -> String
    ) throws {
        switch (kind, value) {
        case (.string, .string), (.boolean, .bool): return
        case (.integer, .number(let text)) where Int64(text) != nil: return
        case (.decimal, .number): return
        default: break
        }
        let path = lazyPath()
        switch kind {
        case .string: throw malformed("\(path) must be a JSON string (\(type))", path: path)
        case .boolean: throw malformed("\(path) must be true or false", path: path)
        case .integer: throw malformed("\(path) must be an integer", path: path)
        case .decimal: throw malformed("\(path) must be a number", path: path)
        }
    }

    private static func unknown(_ path: String, in structure: String) -> FHIRError {
        // The name comes from the client's document: a bounded copy, never a whole hostile key.
        let shown = path.count > 200 ? String(path.prefix(200)) + "…" : path
        return FHIRError(
            status: 400, code: .structure,
            message: "\(shown) is not an element of \(structure) in FHIR R4 (put additions in an extension)",
            detail: .unknownElement, expression: shown)
    }

    private static func malformed(_ message: String, path: String) -> FHIRError {
        FHIRError(status: 400, code: .structure, message: message, detail: .malformed, expression: path)
    }
}
