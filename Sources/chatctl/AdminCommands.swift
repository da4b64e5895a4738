import ArgumentParser
import Foundation

/// Which ban a command names: `--account NAME` or `--mask ADDRESS-GLOB`.
struct BanTarget: ParsableArguments {
    @Option(help: "An account name.") var account: String?
    @Option(help: "An address glob, e.g. 127.0.0.* or 2001:db8:*.") var mask: String?

    func validate() throws {
        guard (account == nil) != (mask == nil) else { throw ValidationError("give exactly one of --account or --mask") }
    }

    var fields: [String: Any] { account.map { ["account": $0] } ?? ["mask": mask ?? ""] }
}

struct Ban: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ban an account or an address mask (enforced at connect and log-in; users it covers are disconnected).")
    @OptionGroup var options: ConsoleOptions
    @OptionGroup var target: BanTarget
    // `.unconditional` so that `--duration -5` reaches BanDuration and is
    // refused as a bad duration, not taken for an unknown flag.
    @Option(parsing: .unconditional,
            help: "How long until the ban expires: seconds, or with a unit: 90s, 30m, 12h, 7d, 2w (default: permanent).")
    var duration: BanDuration?
    @Option(help: "The reason banned users see.") var reason: String?
    func run() throws {
        var request = target.fields
        request["cmd"] = "ban"
        if let duration { request["duration"] = duration.seconds }
        if let reason { request["reason"] = reason }
        try options.run(request) { reply in
            let gone = reply["disconnected"] as? [String] ?? []
            print(gone.isEmpty ? "banned" : "banned; disconnected \(gone.joined(separator: ", "))")
        }
    }
}

struct Unban: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lift a ban.")
    @OptionGroup var options: ConsoleOptions
    @OptionGroup var target: BanTarget
    func run() throws {
        var request = target.fields
        request["cmd"] = "unban"
        try options.run(request) { _ in print("unbanned") }
    }
}

struct Bans: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the bans in force.")
    @OptionGroup var options: ConsoleOptions
    func run() throws {
        try options.runListing("bans", list: "bans", columns: [
            .init("KIND", "kind"), .init("PATTERN", "pattern"), .init("SET", "setAt"), .init("EXPIRES", "expiresAt"),
            .init("REASON", "reason"),
        ])
    }
}

struct Accounts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and manage accounts.",
        subcommands: [List.self, Create.self, Delete.self, SetOperator.self, UnsetOperator.self, ResetPassword.self, AddCertFP.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "All accounts.")
        @OptionGroup var options: ConsoleOptions
        func run() throws {
            try options.runListing("accounts", list: "accounts", columns: [
                .init("ACCOUNT", "name"), .init("EMAIL", "email"), .init("CREATED", "createdAt"),
                .init("OPERATOR", "operator") { ($0 as? Bool) == true ? "yes" : "no" },
            ])
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account.", discussion: PasswordOptions.discussion)
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The account name.") var name: String
        @Option(help: "An email address.") var email: String?
        @OptionGroup(title: "Password") var passwordSource: PasswordOptions
        func run() throws {
            let newPassword = try reportingFailures { try passwordSource.read(account: name) }
            var request: [String: Any] = ["cmd": "account-create", "name": name, "password": newPassword]
            if let email { request["email"] = email }
            try options.run(request) { _ in print("account \(name) created") }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an account (its users are logged out).")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The account name.") var name: String
        func run() throws {
            try options.run(["cmd": "account-delete", "name": name]) { _ in print("account \(name) deleted") }
        }
    }

    struct SetOperator: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-operator", abstract: "Give an account server-operator rights at its next log-in.")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The account name.") var name: String
        func run() throws { try Accounts.setOperator(name, true, options) }
    }

    struct UnsetOperator: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unset-operator", abstract: "Take operator rights away from an account.")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The account name.") var name: String
        func run() throws { try Accounts.setOperator(name, false, options) }
    }

    static func setOperator(_ name: String, _ flag: Bool, _ options: ConsoleOptions) throws {
        try options.run(["cmd": "account-operator", "name": name, "operator": flag]) { _ in
            print(flag ? "\(name) is an operator account" : "\(name) is no longer an operator account")
        }
    }

    struct ResetPassword: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password for an account.",
                                                          discussion: PasswordOptions.discussion)
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The account name.") var name: String
        @OptionGroup(title: "Password") var passwordSource: PasswordOptions
        func run() throws {
            let newPassword = try reportingFailures { try passwordSource.read(account: name) }
            try options.run(["cmd": "account-password", "name": name, "password": newPassword]) { _ in
                print("password of \(name) changed")
            }
        }
    }
}

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Re-read config.json: MOTD and limits change without dropping anyone.")
    @OptionGroup var options: ConsoleOptions
    func run() throws {
        try options.run(["cmd": "reload"]) { reply in
            print("configuration reloaded")
            for note in reply["notes"] as? [String] ?? [] { print("note: \(note)") }
        }
    }
}
