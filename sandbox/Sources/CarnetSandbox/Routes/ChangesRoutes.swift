// The changes feed: one request per professional brings every change (deletions as tombstones) in
// every record it can see, in commit order, after a cursor.

import CarnetWire
import Hummingbird

struct ChangesRoutes: Sendable {
    let records: RecordService

    func addRoutes(to fhir: RouterGroup<SandboxContext>) {
        fhir.get(RouterPath(WirePath.changes), use: changes)
    }

    /// A history Bundle; the cursor to send next is both a `cursor` link and the X-Carnet-Cursor header.
    @Sendable func changes(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        try RequestParameters.refuseUnsupported(request, [WireQuery.cursor, WireQuery.count])
        let count = try RequestParameters.count(request)
        var cursor: Int64 = 0
        if let text = request.uri.queryParameters.get(WireQuery.cursor), !text.isEmpty {
            guard let value = Int64(text), value >= 0 else {
                throw FHIRError.badRequest("invalid _cursor", expression: WireQuery.cursor)
            }
            cursor = value
        }
        let entries = try records.changes(professional: professional, after: cursor, count: count)
        let next = entries.last?.seq ?? cursor
        let base = RequestParameters.baseURL(request)
        let feed = "\(base)/\(WirePath.changes)"
        var links = [
            ("self", "\(feed)?_cursor=\(cursor)&_count=\(count)"),
            ("cursor", "\(feed)?_cursor=\(next)&_count=\(count)"),
        ]
        if entries.count == count { links.append(("next", "\(feed)?_cursor=\(next)&_count=\(count)")) }
        let bundle = FHIR.bundle(
            type: "history", links: links, entries: entries.map { FHIR.historyEntry($0, base: base) })
        return Reply.json(bundle, headers: [(.carnetCursor, String(next))])
    }
}
