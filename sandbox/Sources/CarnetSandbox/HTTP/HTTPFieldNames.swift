// The protocol's header names (CarnetWire) as swift-http-types field names.

import CarnetWire
import HTTPTypes

extension HTTPField.Name {
    // Valid field names: the fallback is never taken (no force unwrap on request paths).
    static let requestID = HTTPField.Name(WireHeader.requestID) ?? .via
    static let ifNoneExist = HTTPField.Name(WireHeader.ifNoneExist) ?? .via
    static let carnetCursor = HTTPField.Name(WireHeader.cursor) ?? .via
    static let idempotencyKey = HTTPField.Name(WireHeader.idempotencyKey) ?? .via
    static let carnetTimeZone = HTTPField.Name(WireHeader.timeZone) ?? .via
    static let prefer = HTTPField.Name("Prefer") ?? .via
}
