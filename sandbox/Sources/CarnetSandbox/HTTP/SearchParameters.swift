// The parameters of a search, read the same way from a GET query and from the form body of
// `POST [type]/_search`: in order, `+` as a space, percent-decoded. A parameter the endpoint does
// not support is refused (400 `unsupported-parameter`, `expression` naming it), never ignored;
// the result parameters every search takes (`_count`, `_total`, `_summary=count`, `_after`) are
// read by `SearchPage`.

import CarnetWire
import Hummingbird

struct SearchParameters {
    var pairs: [(name: String, value: String)]

    /// The result parameters, accepted by every search.
    /// `_totalMethod` is Aidbox's spelling of `_total` (`count` = accurate), which fhirpy's
    /// `count()` sends with `_count=0`.
    static let resultParameters: Set<String> = [
        WireQuery.count, WireQuery.after, "_total", "_totalMethod", "_summary",
    ]

    /// From the URL's query, and for a POST from its `application/x-www-form-urlencoded` body too.
    static func from(_ request: Request) async throws -> SearchParameters {
        var pairs = try parse(request.uri.query ?? "")
        if request.method == .post {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let bytes = try await RequestBody.bytes(request)
            guard type.hasPrefix("application/x-www-form-urlencoded") || (type.isEmpty && bytes.isEmpty) else {
                throw FHIRError(
                    status: 415, code: .notSupported, message: "send the search parameters as "
                        + "application/x-www-form-urlencoded", detail: .unsupportedMediaType)
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw FHIRError.badRequest("the form body is not UTF-8")
            }
            pairs += try parse(text)
        }
        return SearchParameters(pairs: pairs)
    }

    static func parse(_ text: String) throws -> [(name: String, value: String)] {
        try text.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let (rawName, rawValue) =
                item.firstIndex(of: "=").map { (item[..<$0], item[item.index(after: $0)...]) } ?? (item, "")
            guard let name = decode(rawName), let value = decode(rawValue) else {
                throw FHIRError.badRequest("invalid percent-encoding in the search parameters")
            }
            return (name, value)
        }
    }

    private static func decode(_ text: Substring) -> String? {
        PercentDecoding.decode(text)
    }

    func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
    func first(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Refuses the first parameter that is neither in `supported` nor a result parameter.
    func refuseUnsupported(_ supported: Set<String>) throws {
        for (name, _) in pairs where !supported.contains(name) && !Self.resultParameters.contains(name) {
            throw Self.unsupported(name)
        }
    }

    static func unsupported(_ name: String) -> FHIRError {
        FHIRError(
            status: 400, code: .notSupported, message: "unsupported search parameter \(name)",
            detail: .unsupportedParameter, expression: name)
    }

    /// The criteria (everything but the result parameters), percent-encoded again, for paging links.
    var criteriaQuery: String {
        pairs.filter { !Self.resultParameters.contains($0.name) }
            .map { RequestParameters.queryEncoded($0.name, keeping: "-_.:") + "=" + RequestParameters.queryEncoded($0.value, keeping: "-_.") }
            .joined(separator: "&")
    }
}

/// What a search answers: how many entries (`_count`, 0 for none), from where (`_after`), and
/// whether to count the matches (`_total`, `_summary=count`).
struct SearchPage {
    enum Total: String { case none, estimate, accurate }

    let count: Int
    let after: String
    let total: Total
    let summaryCount: Bool

    init(_ parameters: SearchParameters) throws {
        if let text = parameters.first(WireQuery.count) {
            guard let value = Int(text), value >= 0 else {
                throw FHIRError.badRequest("_count must be a non-negative integer", expression: WireQuery.count)
            }
            count = min(value, RequestParameters.maxCount)
        } else {
            count = RequestParameters.defaultCount
        }
        after = parameters.first(WireQuery.after) ?? ""
        if let text = parameters.first("_total") {
            guard let value = Total(rawValue: text) else {
                throw FHIRError.badRequest("_total must be none, estimate or accurate", expression: "_total")
            }
            total = value
        } else if let text = parameters.first("_totalMethod") {
            guard let value = text == "count" ? .accurate : Total(rawValue: text) else {
                throw FHIRError.badRequest("_totalMethod must be count, estimate or none", expression: "_totalMethod")
            }
            total = value
        } else {
            total = .accurate
        }
        switch parameters.first("_summary") {
        case nil, "false": summaryCount = false
        case "count": summaryCount = true
        default:
            throw FHIRError(
                status: 400, code: .notSupported, message: "_summary supports count and false only",
                detail: .unsupportedParameter, expression: "_summary")
        }
    }

    /// How many entries to return: none for `_count=0` or `_summary=count`.
    var limit: Int { summaryCount ? 0 : count }

    /// The searchset: `total` unless `_total=none` (always with `_summary=count`), `self` and,
    /// when the page is full, `next` links that repeat the criteria.
    func bundle(endpoint: String, criteria: String, matches: Int, lastID: String?, entries: [JSONValue]) -> JSONValue {
        var query = criteria.isEmpty ? "" : criteria + "&"
        query += "\(WireQuery.count)=\(limit)"
        if summaryCount { query += "&_summary=count" }
        let page = "\(endpoint)?\(query)"
        let position = after.isEmpty ? "" : "&\(WireQuery.after)=\(RequestParameters.queryEncoded(after))"
        var links = [("self", page + position)]
        if limit > 0, entries.count == limit, let lastID {
            links.append(("next", page + "&\(WireQuery.after)=\(RequestParameters.queryEncoded(lastID))"))
        }
        let reported = total == .none && !summaryCount ? nil : matches
        return FHIR.bundle(type: "searchset", total: reported, links: links, entries: entries)
    }
}
