import ArgumentParser
import Foundation

/// `chatctl`: controls a running chatd through its console socket.
///
/// Thread-safety: a command-line program; one thread.
@main
struct ChatctlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatctl",
        abstract: "Control a running chatd through its console socket.",
        discussion: """
            Run it from the folder you started chatd in (it reads config.json there to find the socket), or pass \
            --socket. --socket and --json go before the subcommand or after it.
            """,
        subcommands: [Status.self, Users.self, Channels.self, Kick.self, Disconnect.self, Wall.self, Topic.self,
                      Ban.self, Unban.self, Bans.self, Accounts.self, Reload.self, Shutdown.self,
                      MatchCommand.self, Files.self])

    /// Parsed here, the options are found before the subcommand too
    /// (`chatctl --socket PATH status`, as with systemctl or redis-cli), and
    /// anywhere after it: the root scans every argument. ArgumentParser then
    /// hands this same value to each subcommand's `ConsoleOptions` group
    /// instead of parsing it again.
    @OptionGroup var options: ConsoleOptions
}

/// Options every subcommand takes, before or after its name.
struct ConsoleOptions: ParsableArguments {
    @Option(name: .long, help: "The console socket (default: from ./config.json, else ./data/console.sock).")
    var socket: String?

    @Flag(name: .long, help: "Print the server's raw JSON reply.")
    var json = false

    /// The socket path: --socket, else config.json's consoleSocket or dataDir.
    var socketPath: String {
        if let socket { return socket }
        if let data = FileManager.default.contents(atPath: "config.json"),
           let config = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let path = config["consoleSocket"] as? String { return path }
            if let dir = config["dataDir"] as? String { return dir + "/console.sock" }
        }
        return "./data/console.sock"
    }

    /// Sends the request; prints the raw reply with --json, else hands it to `show`.
    func run(_ request: [String: Any], show: ([String: Any]) -> Void) throws {
        let reply = try reportingFailures { try ConsoleClient(path: socketPath).send(request) }
        if json {
            let data = try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            show(reply)
        }
    }

    /// Sends `cmd`, whose reply holds the list `list`, and prints that list
    /// as a table, one row per object.
    func runListing(_ cmd: String, list: String, columns: [ListingColumn]) throws {
        try run(["cmd": cmd]) { reply in
            let objects = reply[list] as? [[String: Any]] ?? []
            print(TableFormatter.render(headers: columns.map(\.header),
                                        rows: objects.map { object in columns.map { $0.show(object[$0.field]) } }))
        }
    }
}

func display(_ value: Any?) -> String {
    switch value {
    case nil, is NSNull: return "-"
    case let list as [Any]: return list.map { display($0) }.joined(separator: ",")
    case let number as NSNumber: return number.stringValue
    case let s as String: return s
    case let object as [String: Any]:
        return object.keys.sorted().map { "\($0)=\(display(object[$0]))" }.joined(separator: " ")
    default: return "\(value!)"
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Version, uptime, load and loop health.")
    @OptionGroup var options: ConsoleOptions
    func run() throws {
        try options.run(["cmd": "status"]) { reply in
            // The familiar fields first, then anything else the server reports
            // (a newer server's fields are shown, not dropped).
            let first = ["version", "uptimeSeconds", "connections", "users", "channels"]
            let rest = reply.keys.filter { $0 != "ok" && $0 != "commands" && !first.contains($0) }.sorted()
            let keys = first.filter { reply[$0] != nil } + rest
            print(TableFormatter.render(headers: ["field", "value"], rows: keys.map { [$0, display(reply[$0])] }))
            // Calls per command, busiest first, as a table of its own.
            if let calls = reply["commands"] as? [String: Any], !calls.isEmpty {
                let count = { (name: String) in (calls[name] as? NSNumber)?.intValue ?? 0 }
                let rows = calls.keys.sorted { (count($0), $1) > (count($1), $0) }.map { [$0, display(calls[$0])] }
                print("")
                print(TableFormatter.render(headers: ["COMMAND", "CALLS"], rows: rows))
            }
        }
    }
}

struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Connected users.")
    @OptionGroup var options: ConsoleOptions
    func run() throws {
        try options.runListing("users", list: "users", columns: [
            .init("NICK", "nick"), .init("ACCOUNT", "account"), .init("ADDRESS", "address"), .init("SINCE", "connectedSince"),
            .init("IDLE", "idleSeconds"), .init("CHANNELS", "channels"), .init("SENDQ", "sendQueueBytes"),
            .init("TRANSPORT", "transport"),
        ])
    }
}

struct Channels: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Channels with members, modes and topic.")
    @OptionGroup var options: ConsoleOptions
    func run() throws {
        try options.runListing("channels", list: "channels", columns: [
            .init("CHANNEL", "name"), .init("MEMBERS", "members"), .init("MODES", "modes"), .init("TOPIC", "topic"),
        ])
    }
}

struct Kick: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Kick a user from a channel; members see a KICK from the server.")
    @OptionGroup var options: ConsoleOptions
    @Argument(help: "The channel, e.g. '#lobby' (quote it in the shell).") var channel: String
    @Argument(help: "The nick to kick.") var nick: String
    @Argument(help: "The reason shown to everyone.") var reason: [String] = []
    func run() throws {
        var request: [String: Any] = ["cmd": "kick", "channel": channel, "nick": nick]
        if !reason.isEmpty { request["reason"] = reason.joined(separator: " ") }
        try options.run(request) { _ in print("kicked \(nick) from \(channel)") }
    }
}

struct Disconnect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Disconnect a user (a KILL from the server).")
    @OptionGroup var options: ConsoleOptions
    @Argument(help: "The nick to disconnect.") var nick: String
    @Argument(help: "The reason.") var reason: [String] = []
    func run() throws {
        var request: [String: Any] = ["cmd": "disconnect", "nick": nick]
        if !reason.isEmpty { request["reason"] = reason.joined(separator: " ") }
        try options.run(request) { _ in print("disconnected \(nick)") }
    }
}

struct Wall: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a notice to every connected user.")
    @OptionGroup var options: ConsoleOptions
    @Argument(help: "The text.") var text: [String]
    func run() throws {
        try options.run(["cmd": "wall", "text": text.joined(separator: " ")]) { reply in
            print("sent to \(display(reply["recipients"])) users")
        }
    }
}

struct Topic: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set a channel's topic as the server.")
    @OptionGroup var options: ConsoleOptions
    @Argument(help: "The channel.") var channel: String
    @Argument(help: "The topic text.") var topic: [String]
    func run() throws {
        try options.run(["cmd": "topic", "channel": channel, "text": topic.joined(separator: " ")]) { _ in
            print("topic of \(channel) set")
        }
    }
}

struct Shutdown: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop the server: clients are told, queues and history flushed.")
    @OptionGroup var options: ConsoleOptions
    @Option(help: "Seconds to let send queues drain.") var grace: Double = 5
    @Option(help: "The message clients see.") var message: String = "Server shutting down"
    func validate() throws {
        guard grace >= 0 && grace <= 3600 else { throw ValidationError("--grace must be between 0 and 3600 seconds") }
    }
    func run() throws {
        try options.run(["cmd": "shutdown", "grace": grace, "message": message]) { _ in print("chatd is shutting down") }
    }
}

