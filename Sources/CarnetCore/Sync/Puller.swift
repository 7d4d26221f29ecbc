internal import CarnetJSON
internal import CarnetWire

/// Brings in what changed on the service: one changes feed for the whole
/// professional, read from a stored cursor, page by page (not one request per
/// patient). Each page's effects and the new cursor are stored in one
/// transaction, so a crash mid-way re-reads the page rather than losing it;
/// applying a change twice is harmless (keyed on id, versions only move up).
struct Puller {
    let store: VaccinationStore
    let connection: ServiceConnection
    let scope: HostIDScope
    let logger: Logger

    static let pageSize = 100
    static let maxPages = 10_000

    struct Report {
        var pages = 0
        var changes = 0
    }

    func pull() throws(CarnetFailure) -> Report {
        var report = Report()
        if let wait = try store.serviceWait() { throw wait }
        var cursor = try store.changesCursor()
        while report.pages < Puller.maxPages {
            try connection.token.check()
            let answer: ServiceConnection.Answer
            do throws(CarnetFailure) {
                answer = try connection.send(
                    .get, WirePath.changes,
                    query: [
                        (WireQuery.cursor, String(cursor)),
                        (WireQuery.count, String(Puller.pageSize)),
                    ],
                    expect: [200])
            } catch {
                if let retryAfter = error.retryAfterSeconds { try store.holdService(seconds: retryAfter) }
                throw error
            }
            let bundle = try connection.resource(answer, type: "Bundle")
            let entries = bundle["entry"]?.arrayValue ?? []
            let next = Puller.nextCursor(answer.response, bundle: bundle) ?? cursor
            guard next >= cursor else {
                throw CarnetFailure(.protocolViolation, domain: .http, message: .protocolViolation(.unexpectedStatus))
            }
            let changes = entries.compactMap(RemoteChange.init(entry:))
            try store.apply(changes, newCursor: next, scope: scope)
            report.pages += 1
            report.changes += changes.count
            let hasNext = (bundle["link"]?.arrayValue ?? []).contains { $0["relation"] == "next" }
            if !hasNext || next == cursor || entries.isEmpty { break }
            cursor = next
        }
        if report.changes > 0 { logger.log(.info, "pulled \(report.changes) change(s) in \(report.pages) page(s)") }
        return report
    }

    /// The feed's resume point: the X-Carnet-Cursor header, else the `cursor` link.
    static func nextCursor(_ response: HTTPResponse, bundle: JSONValue) -> Int64? {
        if let header = response.header(WireHeader.cursor), let value = Int64(header), value >= 0 { return value }
        for link in bundle["link"]?.arrayValue ?? [] where link["relation"] == "cursor" {
            guard let url = link["url"]?.stringValue, let range = url.firstRange(of: WireQuery.cursor + "=") else {
                continue
            }
            let digits = url[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if let value = Int64(digits), value >= 0 { return value }
        }
        return nil
    }
}
