/// The words the store writes in its `state`, `origin`, `kind` and `operation` columns, as Swift
/// enums stored as their raw values. The schema's CHECK constraints (StoreMigrations) list the same
/// raw values: an enum case and its column value never drift apart, and no other file compares
/// these strings.

/// Where one of the host's vaccinations stands with the service.
enum VaccinationState: String, Sendable, CaseIterable {
    /// Recorded, waiting to be created on the service.
    case pending
    /// On the service, at `remote_version`.
    case synced
    /// The host removed it; the DELETE is waiting in the outbox.
    case removing
    /// The service refused the add for good (the record's own fault): blocked for the host.
    case failed
    /// Deleted elsewhere; proposed to the host for confirmation.
    case removedRemotely = "removed-remotely"
    /// The host corrected it; the update waits in the outbox.
    case updating

    /// What an add or remove reports as delivered: on the service, or gone from both sides.
    var isDelivered: Bool { self == .synced }
}

/// Whether the host recorded the vaccination or imported it from the service.
enum VaccinationOrigin: String, Sendable {
    case host, imported
}

/// What the service told this workstation that the host should act on.
enum ProposalKind: String, Sendable, CaseIterable {
    /// Recorded elsewhere, not the host's: to import or ignore.
    case added
    /// One of the host's, deleted elsewhere: to confirm.
    case removed
    /// One of the host's, changed elsewhere: to refresh.
    case changed
}

/// A change waiting in the outbox.
enum OutboxOperation: String, Sendable {
    case add, remove, update
}
