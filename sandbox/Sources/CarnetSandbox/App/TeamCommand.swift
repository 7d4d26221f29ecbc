// `team` subcommands: the service's staff set up a care team (the guide's "abonnement collectif")
// and its members, by email. A member sees and writes every carnet the team has access to.

import ArgumentParser
import Foundation

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Administer care teams (professionals sharing their carnets).",
        subcommands: [Create.self, AddMember.self, RemoveMember.self, Show.self])

    static func team(_ sandbox: Sandbox, _ nameOrID: String) throws -> Team {
        guard let team = try sandbox.store.team(named: nameOrID) else { throw TeamError("no such team") }
        return team
    }

    static func professional(_ sandbox: Sandbox, _ email: String) throws -> Professional {
        guard let professional = try sandbox.store.professional(email: email) else {
            throw TeamError("no such professional")
        }
        return professional
    }

    /// `{"id", "name", "members": [{"id", "email", "name"}], "carnets": n}`: the team as staff see
    /// it (member emails are staff data; carnets only as a count).
    static func summary(_ sandbox: Sandbox, _ team: Team) throws -> JSONValue {
        let members: [JSONValue] = try sandbox.store.members(of: team).map {
            ["id": .string($0.id), "email": .string($0.email), "name": .string($0.name)]
        }
        return [
            "id": .string(team.id), "name": .string(team.name), "members": .array(members),
            "carnets": .int(try sandbox.store.activeRecordCount(of: team)),
        ]
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a team; prints its id and name.")
        @OptionGroup var data: DataOptions
        @Option(help: "A unique name, e.g. \"Maison de santé des Lilas\".") var name: String
        func run() throws {
            try cli {
                let sandbox = try data.open()
                let team = try sandbox.store.createTeam(name: name)
                sandbox.log.log(.info, "team.created", [("team", .string(team.id))])
                printJSON(["id": .string(team.id), "name": .string(team.name)])
            }
        }
    }

    struct AddMember: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-member",
            abstract: "Add a professional to a team (at most one team each); prints the team.")
        @OptionGroup var data: DataOptions
        @Option(help: "The team's name or id.") var team: String
        @Option(help: "The professional's email.") var email: String
        func run() throws {
            try cli {
                let sandbox = try data.open()
                let found = try TeamCommand.team(sandbox, team)
                let professional = try TeamCommand.professional(sandbox, email)
                try sandbox.store.addMember(team: found, professional: professional.id)
                sandbox.log.log(
                    .info, "team.member-added",
                    [("team", .string(found.id)), ("professional", .string(professional.id))])
                printJSON(try TeamCommand.summary(sandbox, found))
            }
        }
    }

    struct RemoveMember: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-member",
            abstract: "Remove a professional from a team: it loses the team's carnets at once; prints the team.")
        @OptionGroup var data: DataOptions
        @Option(help: "The team's name or id.") var team: String
        @Option(help: "The professional's email.") var email: String
        func run() throws {
            try cli {
                let sandbox = try data.open()
                let found = try TeamCommand.team(sandbox, team)
                let professional = try TeamCommand.professional(sandbox, email)
                guard try sandbox.store.removeMember(team: found, professional: professional.id) else {
                    throw TeamError("this professional is not a member of this team")
                }
                sandbox.log.log(
                    .info, "team.member-removed",
                    [("team", .string(found.id)), ("professional", .string(professional.id))])
                printJSON(try TeamCommand.summary(sandbox, found))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a team: members and number of carnets.")
        @OptionGroup var data: DataOptions
        @Option(help: "The team's name or id.") var team: String
        func run() throws {
            try cli {
                let sandbox = try data.open()
                printJSON(try TeamCommand.summary(sandbox, try TeamCommand.team(sandbox, team)))
            }
        }
    }
}
