// Request bodies pass the library's own strict parser (CarnetJSON) first, so the service and
// libcarnet refuse exactly the same documents (invalid UTF-8, duplicate keys, depth > 64, long
// numbers, trailing data); the sandbox's JSON model then reads the accepted document.

import CarnetJSON

enum RequestJSON {
    /// nil when CarnetJSON accepts the bytes, else its reason (never quotes the document).
    static func rejection(_ bytes: [UInt8]) -> String? {
        do {
            _ = try CarnetJSON.JSONValue.parse(bytes, limits: JSONLimits(maxBytes: Body.maxBytes, maxDepth: 64, maxNumberLength: 64))
            return nil
        } catch {
            return error.description
        }
    }
}
