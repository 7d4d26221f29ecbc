// Care teams (the guide's "abonnement collectif": a maison de santé, a vaccination centre): a
// group of professionals sharing the carnets any of them creates or claims while a member.
//
// The service's staff manage teams (admin subcommands); the FHIR API has no team endpoint: a
// member simply sees the team's carnets as its own. A professional belongs to at most one team,
// so that "the team" of a creation or a claim is never ambiguous.

import Foundation

struct Team {
    let id: String
    let name: String

    init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    init(row: SQLRow) {
        self.init(id: row.string("id") ?? "", name: row.string("name") ?? "")
    }
}

/// A team administration refusal (the subcommand prints it and exits 1).
struct TeamError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Store {
    static let maxTeamNameLength = 200

    func createTeam(name raw: String) throws -> Team {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= Self.maxTeamNameLength else {
            throw TeamError("a team name has 1 to \(Self.maxTeamNameLength) characters")
        }
        let id = RandomUUID.make()
        do {
            try db.query(
                "INSERT INTO teams(id, name, name_key, created_at) VALUES(?,?,?,?)",
                [id, name, Self.teamNameKey(name), Time.nowMs()])
        } catch let error as SQLiteError where error.isConstraintViolation {
            throw TeamError("a team with this name already exists")
        }
        return Team(id: id, name: name)
    }

    /// Names are unique whatever their case: SQLite's NOCASE folds ASCII only ("SANTÉ" ≠ "santé"),
    /// so the key is Swift's Unicode lower-casing of the trimmed name (accents stay significant).
    static func teamNameKey(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A team by id or by name.
    func team(named nameOrID: String) throws -> Team? {
        try db.query(
            "SELECT id, name FROM teams WHERE id = ? OR name_key = ? LIMIT 1", [nameOrID, Self.teamNameKey(nameOrID)]
        ).first.map(Team.init)
    }

    func team(ofProfessional professional: String) throws -> Team? {
        try db.query(
            "SELECT t.id, t.name FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.professional_id = ?",
            [professional]
        ).first.map(Team.init)
    }

    /// Adds a member; adding a member again is a no-op; a member of another team is refused
    /// (remove it there first: its carnets there must not follow it silently).
    func addMember(team: Team, professional: String) throws {
        try db.transaction {
            if let current = try self.team(ofProfessional: professional) {
                guard current.id == team.id else {
                    throw TeamError("this professional already belongs to another team (remove it there first)")
                }
                return
            }
            try db.query(
                "INSERT INTO team_members(professional_id, team_id, joined_at) VALUES(?,?,?)",
                [professional, team.id, Time.nowMs()])
        }
    }

    /// Removes a member: from now on it sees only the carnets of its own grants.
    func removeMember(team: Team, professional: String) throws -> Bool {
        try db.transaction {
            try db.query(
                "DELETE FROM team_members WHERE professional_id = ? AND team_id = ?", [professional, team.id])
            return db.changes > 0
        }
    }

    func members(of team: Team) throws -> [Professional] {
        try db.query(
            "SELECT p.* FROM professionals p JOIN team_members m ON m.professional_id = p.id WHERE m.team_id = ? "
                + "ORDER BY m.joined_at, p.email",
            [team.id]
        ).map(Professional.init)
    }

    /// How many carnets the team has an active grant to (for the admin's summary; no ids).
    func activeRecordCount(of team: Team) throws -> Int {
        try db.query(
            "SELECT COUNT(*) AS n FROM team_access WHERE team_id = ? AND revoked_at IS NULL", [team.id]
        ).first?.int("n") ?? 0
    }
}
