import ArgumentParser
import ChatClient
import ChatServer
import Foundation

/// `chat scores list|show|watch`: the SCORES extension (issue #12).
///
/// Thread-safety: main thread.
struct Scores: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Football scores: list, show, watch.",
                                                    subcommands: [ListMatches.self, Show.self, Watch.self])

    struct ListMatches: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The matches and their scores.")
        @OptionGroup var options: ConnectionOptions
        @Flag(help: "One JSON object per line.") var json = false
        @Option(help: "Seconds to wait.") var timeout: Double = 15

        func run() throws {
            let result = try runQuery(options, .list, timeout: timeout)
            guard case .list(let matches) = result else { return }
            printTable(["id", "status", "minute", "home", "away", "teams"],
                       matches.map { [$0.id, $0.status, String($0.minute), String($0.homeGoals), String($0.awayGoals), $0.teams] }, json: json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One match and its events.")
        @OptionGroup var options: ConnectionOptions
        @Flag(help: "One JSON object per line.") var json = false
        @Option(help: "Seconds to wait.") var timeout: Double = 15
        @Argument(help: "The match id.") var id: String

        func run() throws {
            guard case .show(let summary, let events) = try runQuery(options, .show(id), timeout: timeout) else { return }
            if !json, let summary { print(summary.scoreText) }
            printTable(["seq", "minute", "type", "home", "away", "text"],
                       events.map { [String($0.seq), String($0.minute), $0.type, String($0.homeGoals), String($0.awayGoals), $0.sentence] }, json: json)
        }
    }

    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a match's events as they happen.",
            discussion: "With --udp the events come over the UDP score stream; at the end the stream's statistics are printed: received, lost, duplicated, out of order, first and last seq.")
        @OptionGroup var options: ConnectionOptions
        @Flag(help: "Over the UDP score stream (a token over the chat connection, renewed every 10 s).") var udp = false
        @Option(help: "Stop after this many seconds.") var duration: Double = 60
        @Flag(help: "Stop after the full-time event.") var untilFullTime = false
        @Argument(help: "The match id.") var id: String

        func run() throws {
            if udp { return try watchOverUDP() }
            var followed = FollowedMatch(summary: MatchSummary(id: id, status: "live", minute: 0, homeGoals: 0, awayGoals: 0, teams: ""))
            var printed = 0
            try untilTimeIsUp {
              try runScript(options, timeout: duration) { session in
                session.onMessage = { m in
                    guard let line = ScoreLine(m) else { return }
                    switch line {
                    case .event(let e) where followed.apply(e):
                        print(e.display)
                        fflush(stdout)
                        printed += 1
                        if untilFullTime && e.type == "full-time" { session.succeed() }
                    case .fail(let code, _, let text):
                        session.fail(code == "NO_SUCH_MATCH" ? .notFound(text) : .refused("\(code): \(text)"))
                    default: break
                    }
                }
                session.connection.send(followed.followRequest)
              }
            }
            print("events: \(printed), last seq: \(followed.lastSeq)")
        }

        /// `SCORES UDP`, then the stream; the statistics at the end, also
        /// when the connection fails after the stream has started.
        private func watchOverUDP() throws {
            var watch: UDPScoreWatch?
            defer { if let watch, watch.token != nil { print(watch.summary) } }
            try untilTimeIsUp {
                try runScript(options, timeout: duration) { session in
                    let c = session.connection
                    guard let w = UDPScoreWatch(loop: session.loop, matchID: id, server: c.config.server, send: { c.send($0) }) else {
                        return session.fail(.notFound("\(id) is not a match id"))
                    }
                    watch = w
                    w.onEvent = { event, line in
                        print(line)
                        fflush(stdout)
                        if untilFullTime && event.type == "full-time" { session.succeed() }
                    }
                    w.onStateChange = { state in
                        if case .failed(let f) = state { session.fail(f) }
                    }
                    session.onMessage = { m in
                        if m.command == "421" { return session.fail(.refused("this server has no SCORES extension")) }
                        if let line = ScoreLine(m) { w.receive(line) }
                    }
                    w.start()
                }
            }
            // No UDPSTOP: the session's loop is closed by now, and the token
            // died with the chat connection.
        }

        /// Watching ends when the time is up: that is success, not a timeout.
        private func untilTimeIsUp(_ body: () throws -> Void) throws {
            do { try body() } catch let exit as ChatExit {
                guard case .timedOut = exit.failure else { throw exit }
            }
        }
    }
}

func runQuery(_ options: ConnectionOptions, _ kind: ScoreQuery.Kind, timeout: Double) throws -> ScoreQuery.Result {
    let query = ScoreQuery(kind)
    var result: ScoreQuery.Result?
    try runScript(options, timeout: timeout) { session in
        session.onMessage = { m in
            if m.command == "421" { return session.fail(.refused("this server has no SCORES extension")) }
            guard let line = ScoreLine(m), let r = query.receive(line) else { return }
            result = r
            if case .failed(let f) = r { session.fail(f) } else { session.succeed() }
        }
        session.connection.send(query.request)
    }
    return result ?? .failed(.disconnected("no answer"))
}
