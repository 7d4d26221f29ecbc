public import CarnetJSON

/// "Synchroniser avec les vaccins partagés": push what is pending, pull what
/// changed elsewhere, and tell the host what to import, what to confirm, what
/// to refresh, and what is still waiting and why.
extension CarnetClient {
    public func sync(patientID: HostPatientID?) throws(CarnetFailure) -> JSONValue {
        let token = cancellation.token()
        if let patientID { _ = try linkedCarnet(patientID) }
        let push = try serializedPush { () throws(CarnetFailure) in
            try Pusher(client: self, token: token).push(patient: patientID, dueOnly: false)
        }
        var pullFailure: CarnetFailure?
        if push.stoppedBy == nil {
            do throws(CarnetFailure) {
                _ = try Puller(client: self, token: token).pull()
            } catch {
                if error.kind == .storage { throw error }
                pullFailure = error
            }
        }
        // The service unreachable is not a failure of sync: everything is kept
        // and the report says so. Credentials and TLS problems are failures.
        if let failure = push.stoppedBy ?? pullFailure, !failure.kind.isTransient {
            throw failure
        }
        let proposals = try store.proposals(patient: patientID)
        var report: JSONValue = [
            "pushed": .number(String(push.pushed)),
            "added": .array(proposals.added),
            "removed": .array(proposals.removed),
            "changed": .array(proposals.changed),
            "pending": .array(try store.outboxReport(patient: patientID)),
        ]
        if let failure = push.stoppedBy ?? pullFailure {
            report["offline"] = true
            report["status"] = .string(failure.kind.cName)
            report["message"] = .string(failure.message.text(configuration.locale))
        }
        return report
    }

    /// What waits in the outbox, for how long, with the last error of each item.
    public func outboxStatus(patientID: HostPatientID?) throws(CarnetFailure) -> JSONValue {
        ["pending": .array(try store.outboxReport(patient: patientID))]
    }
}
