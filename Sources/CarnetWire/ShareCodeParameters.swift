public import CarnetJSON

/// One record a share code opens, as a lookup shows it: an opaque id and the pseudonym the
/// patient chose (never a name or a birth date).
public struct ShareCodeCandidate: Sendable, Equatable {
    public let id: String
    public let pseudonym: String

    public init(id: String, pseudonym: String) {
        self.id = id
        self.pseudonym = pseudonym
    }
}

/// Bodies of `$share-code-lookup` and `$record-claim` (Parameters), built and read here so that
/// the library and the service cannot disagree on a name.
public enum ShareCodeParameters {
    public static let code = "code"
    public static let candidate = "candidate"
    public static let birthDate = "birthDate"
    static let candidateID = "id"
    static let pseudonym = "pseudonym"

    /// The lookup request: the share code as the patient gave it.
    public static func lookupRequest(code: String) -> JSONValue {
        Parameters.make([(Self.code, .string(code))])
    }

    /// The claim request: code, the chosen candidate's id, the holder's birth date (YYYY-MM-DD).
    public static func claimRequest(code: String, candidate: String, birthDate: String) -> JSONValue {
        Parameters.make([
            (Self.code, .string(code)), (Self.candidate, .string(candidate)),
            (Self.birthDate, .date(birthDate)),
        ])
    }

    /// The lookup answer: one `candidate` parameter (parts `id`, `pseudonym`) per record.
    public static func lookupAnswer(_ candidates: [ShareCodeCandidate]) -> JSONValue {
        Parameters.make(
            candidates.map { candidate in
                (
                    Self.candidate,
                    .parts([(candidateID, .string(candidate.id)), (pseudonym, .string(candidate.pseudonym))])
                )
            })
    }

    /// The candidates of a lookup answer; nil when the answer is not Parameters or a candidate
    /// lacks its id or pseudonym (a protocol violation, not an empty answer).
    public static func candidates(in answer: JSONValue) -> [ShareCodeCandidate]? {
        guard answer["resourceType"] == "Parameters" else { return nil }
        var result: [ShareCodeCandidate] = []
        for item in Parameters.all(named: candidate, in: answer) {
            let parts = item["part"]?.arrayValue ?? []
            func part(_ name: String) -> String? {
                parts.first { $0["name"]?.stringValue == name }?["valueString"]?.stringValue
            }
            guard let id = part(candidateID), let pseudonym = part(pseudonym) else { return nil }
            result.append(ShareCodeCandidate(id: id, pseudonym: pseudonym))
        }
        return result
    }
}
