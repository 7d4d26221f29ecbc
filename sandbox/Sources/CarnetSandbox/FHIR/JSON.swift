// The sandbox speaks JSON through the root package's CarnetJSON — the very parser and serializer
// libcarnet uses — so the service and the library accept and write exactly the same documents
// (UTF-8 only, no duplicate keys, bounded depth and numbers, member order kept). Re-exported here
// so every file of the sandbox sees `JSONValue` and `JSONObject`; the few conveniences the
// handlers use are below.

@_exported import CarnetJSON

extension JSONValue {
    static func int(_ value: Int) -> JSONValue { .number(String(value)) }
}

extension JSONObject {
    /// Members in order, as (key, value) pairs.
    var pairs: [(String, JSONValue)] { members.map { ($0.key, $0.value) } }
}

extension JSONObject: @retroactive ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
