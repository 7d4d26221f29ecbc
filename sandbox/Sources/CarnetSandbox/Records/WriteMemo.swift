// What the writes of one batch Bundle look up again and again: whether the professional may
// write the carnet, the carnet's birth date, the professional's recorded-by extension. A batch
// of vaccinations is almost always one professional writing one carnet, and those answers
// cannot change inside the batch's transaction (its entries only write Immunizations), so each
// is asked once per batch instead of once per entry. Only successes are kept: a refusal is
// asked again, and thrown again, for every entry it concerns.

final class WriteMemo {
    /// Records the actor may write (access checked, active).
    var writable: Set<String> = []
    /// Birth date of each record asked so far (nil inside: the record has none).
    var birthDates: [String: String?] = [:]
    /// The actor's recorded-by extension, once built (nil inside: the actor has none).
    var recordedBy: JSONValue??
}
