import ArgumentParser
import Foundation

/// `chatctl match …`: the operator feed for live scores.
///
/// Thread-safety: a command-line program; one thread.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "List matches, create them, and add events (live scores).",
        subcommands: [List.self, Create.self, Event.self, Finish.self, Ingest.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "All matches.")
        @OptionGroup var options: ConsoleOptions
        func run() throws {
            try options.runListing("matches", list: "matches", columns: [
                .init("ID", "id"), .init("HOME", "home"), .init("AWAY", "away"), .init("STATUS", "status"),
                .init("MIN", "minute"), .init("H", "homeGoals"), .init("A", "awayGoals"), .init("EVENTS", "events"),
            ])
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a match (it gets the room #match-<id>).")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The home team.") var home: String
        @Argument(help: "The away team.") var away: String
        func run() throws {
            try options.run(["cmd": "match-create", "home": home, "away": away]) { reply in
                print("match \(reply["id"] ?? "?") created (\(reply["room"] ?? "?"))")
            }
        }
    }

    struct Event: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an event: kickoff, goal, own-goal, penalty-goal, penalty-miss, yellow-card, red-card, foul, corner, offside, save, substitution, half-time, full-time.")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The match id.") var match: Int
        @Argument(help: "The event type.") var type: String
        @Option(help: "home or away (needed for events of one side).") var team: String?
        @Option(help: "The player's name.") var player: String?
        @Option(help: "The minute (default: the match's current minute).") var minute: Int?
        @Option(help: "The sentence to show (default: one is written).") var text: String?
        func run() throws {
            var request: [String: Any] = ["cmd": "match-event", "match": match, "type": type]
            if let team { request["team"] = team }
            if let player { request["player"] = player }
            if let minute { request["minute"] = minute }
            if let text { request["text"] = text }
            try options.run(request) { reply in print("event \(reply["seq"] ?? "?") added") }
        }
    }

    struct Finish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a match (a full-time event).")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The match id.") var match: Int
        @Option(help: "The minute of the final whistle.") var minute: Int?
        func run() throws {
            var request: [String: Any] = ["cmd": "match-finish", "match": match]
            if let minute { request["minute"] = minute }
            try options.run(request) { reply in print("match \(match) finished (event \(reply["seq"] ?? "?"))") }
        }
    }

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add events from JSON lines, all or none.",
            discussion: #"One event per line: {"match":1,"type":"goal","team":"home","player":"N. Name","minute":23}. "#
                + "A file with a bad line is refused whole; each bad line is reported with its number.")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The file, or - for standard input.") var file: String
        func run() throws {
            let data: Data
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                data = try reportingFailures { try InputFileFailure.contents(of: file) }
            }
            // The console takes one request line of at most 64 KiB.
            guard data.count <= 60_000 else { throw ValidationError("\(file) is over 60000 bytes; split it") }
            try options.run(["cmd": "match-ingest", "text": String(decoding: data, as: UTF8.self)]) { reply in
                print("\(reply["events"] ?? 0) events added")
            }
        }
    }
}
