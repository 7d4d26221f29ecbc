// Reads every resource type offers the same way: read, instance history, version read.

import CarnetWire
import Foundation
import Hummingbird

struct ResourceReads: Sendable {
    let records: RecordService
    let type: String

    /// The current version (410 once deleted), with its ETag.
    @Sendable func read(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        let id = try RequestParameters.id(context)
        let (resource, version) = try records.read(type: type, id: id, professional: professional)
        return Reply.read(resource, version: version)
    }

    /// `{type}/{id}/_history/{vid}`.
    @Sendable func versionRead(_ request: Request, context: SandboxContext) async throws -> Response {
        let professional = try context.requireProfessional()
        guard let version = context.parameters.get("vid").flatMap({ Int($0) }) else {
            throw FHIRError.badRequest("invalid version id")
        }
        let id = try RequestParameters.id(context)
        let (resource, found) = try records.read(type: type, id: id, professional: professional, version: version)
        return Reply.read(resource, version: found)
    }

    /// `{type}/{id}/_history`.
    @Sendable func instanceHistory(_ request: Request, context: SandboxContext) async throws -> Response {
        try history(request, context, id: try RequestParameters.id(context))
    }

    /// `{type}/_history`: every resource of the type this professional can see.
    @Sendable func typeHistory(_ request: Request, context: SandboxContext) async throws -> Response {
        try history(request, context, id: nil)
    }

    /// Newest first, `_since` inclusive, keyset-paged by sequence number (`_before_seq`).
    private func history(_ request: Request, _ context: SandboxContext, id: String?) throws -> Response {
        let professional = try context.requireProfessional()
        try RequestParameters.refuseUnsupported(request, [WireQuery.count, WireQuery.since, WireQuery.beforeSequence])
        let count = try RequestParameters.count(request)
        let query = request.uri.queryParameters
        var sinceMs: Int64?
        if let since = query.get(WireQuery.since) {
            guard let ms = Time.parseMs(since) else {
                throw FHIRError.badRequest("_since must be a FHIR instant", expression: WireQuery.since)
            }
            sinceMs = ms - 1  // inclusive: changes at or after _since
        }
        var before = Int64.max
        if let text = query.get(WireQuery.beforeSequence) {
            guard let value = Int64(text) else { throw FHIRError.badRequest("invalid paging cursor") }
            before = value
        }
        let entries = try records.history(
            type: type, id: id, professional: professional, sinceMs: sinceMs,
            before: before, count: count)
        let base = RequestParameters.baseURL(request)
        let path = id.map { "\(base)/\(type)/\($0)/_history" } ?? "\(base)/\(type)/_history"
        var params = "_count=\(count)"
        if let since = query.get(WireQuery.since) {
            params += "&_since=" + RequestParameters.queryEncoded(String(since), keeping: "-:.")
        }
        var links = [("self", "\(path)?\(params)")]
        if entries.count == count, let last = entries.last {
            links.append(("next", "\(path)?\(params)&_before_seq=\(last.seq)"))
        }
        let bundle = FHIR.bundle(
            type: "history", links: links, entries: entries.map { FHIR.historyEntry($0, base: base) })
        return Reply.json(bundle)
    }
}
