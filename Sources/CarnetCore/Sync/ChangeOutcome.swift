public import CarnetJSON

/// What the host's add or remove did, as the C boundary reports it (computed once, by
/// `SyncEngine.deliver`). Each case carries the vaccination's state document
/// (`host_vaccination_id`, `state`, `immunization_id`, `version`, and `status`/`message` when
/// not delivered).
public enum ChangeOutcome: Sendable {
    /// On the service (or, for a remove, gone from both sides): CARNET_OK.
    case delivered(JSONValue)
    /// Durably recorded, not delivered yet; retried later: CARNET_PENDING with the reason
    /// (network, service, credentials... or the store failing after the change was committed).
    case pending(JSONValue, reason: CarnetFailure)
    /// The service refused it for good (the record's own fault, access revoked, carnet gone):
    /// blocked until the host acts; that failure's status.
    case refused(JSONValue, reason: CarnetFailure)

    public var document: JSONValue {
        switch self {
        case .delivered(let document), .pending(let document, _), .refused(let document, _): return document
        }
    }

    static func document(hostID: String, stateName: String) -> JSONValue {
        ["host_vaccination_id": .string(hostID), "state": .string(stateName)]
    }

    static func document(
        hostID: String, row: VaccinationRow?, state: VaccinationState? = nil,
        reason: CarnetFailure? = nil, locale: UserMessage.Locale = .french
    ) -> JSONValue {
        var document = document(hostID: hostID, stateName: (state ?? row?.state ?? .pending).rawValue)
        if let remote = row?.remoteID { document["immunization_id"] = .string(remote) }
        if let version = row?.remoteVersion { document["version"] = .number(String(version)) }
        if let reason {
            document["status"] = .string(reason.kind.cName)
            document["message"] = .string(reason.message.text(locale))
        }
        return document
    }

    static func pending(
        hostID: String, state: VaccinationState, row: VaccinationRow?, reason: CarnetFailure,
        locale: UserMessage.Locale
    ) -> ChangeOutcome {
        .pending(document(hostID: hostID, row: row, state: state, reason: reason, locale: locale), reason: reason)
    }
}
