public import CarnetJSON

/// "Synchroniser avec les vaccins partagés": push what is pending, pull what
/// changed elsewhere, and tell the host what to import, what to confirm, what
/// to refresh, and what is still waiting and why.
extension CarnetClient {
    public func sync(patientID: HostPatientID?) throws(CarnetFailure) -> JSONValue {
        let token = cancellation.token()
        if let patientID { _ = try linkedRecord(patientID) }
        let round = try syncEngine.round(patient: patientID, dueOnly: false, token: token)
        // The service unreachable is not a failure of sync: everything is kept
        // and the report says so. Credentials and TLS problems are failures.
        if let failure = round.stoppedBy, !failure.kind.isTransient {
            throw failure
        }
        var report: JSONValue = [
            "pushed": .number(String(round.push.pushed)),
            "added": .array(namedProposals(round.proposals.added)),
            "removed": .array(round.proposals.removed),
            "changed": .array(namedProposals(round.proposals.changed)),
            "pending": .array(try vaccinations.outboxReport(patient: patientID)),
        ]
        if let failure = round.stoppedBy {
            report["offline"] = true
            report["status"] = .string(failure.kind.cName)
            report["message"] = .string(failure.message.text(configuration.locale))
        }
        return report
    }

    /// What waits in the outbox, for how long, with the last error of each item.
    public func outboxStatus(patientID: HostPatientID?) throws(CarnetFailure) -> JSONValue {
        ["pending": .array(try vaccinations.outboxReport(patient: patientID))]
    }
}
