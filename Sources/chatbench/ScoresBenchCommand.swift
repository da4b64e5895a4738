import ArgumentParser
import BenchKit
import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `chatbench scores`: live-score load against chatd (see `ScoresScenario`).
/// Prints one JSON report line, like the other scenarios.
///
/// Thread-safety: a command-line program; the loop runs on the main thread.
struct ScoresBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "Live scores: chat followers and UDP subscribers of one match, events through the console, chat latency meanwhile (chatd only).")

    @Option(help: "Server port on 127.0.0.1.") var port: Int = 6667
    @Option(help: "A label for the report.") var target: String = "chatd"
    @Option(help: "Server process id: its CPU over the window is reported.") var serverPid: Int32?
    @Option(help: "chatd's console socket (events are pushed through it).") var console: String
    @Option(help: "Console connections (each answers one request at a time).") var consoleConnections: Int = 8
    @Option(help: "Chat connections that SCORES FOLLOW the match.") var followers: Int = 1000
    @Option(help: "UDP subscribers (each its own socket and token).") var udp: Int = 1000
    @Option(help: "UDP tokens one chat connection fetches (at most the server's scores.udpPerConnection).") var udpPerConnection: Int = 4
    @Option(help: "Milliseconds between events.") var interval: Double = 10
    @Option(help: "Measured seconds.") var duration: Double = 10
    @Option(help: "Chat probe PRIVMSGs per second.") var chatRate: Double = 50
    @Option(help: "Seconds between presentations of a UDP token (the lease is 30 s).") var renew: Double = 10
    @Option(help: "Connections being set up at once.") var connectBatch: Int = 100
    @Option(help: "Hard limit on the whole run, in seconds.") var timeLimit: Double = 300

    func validate() throws {
        guard followers >= 0, udp >= 0 else { throw ValidationError("followers and UDP subscribers: 0 or more (0 and 0: the feed and the probe alone)") }
        guard interval >= 1, duration > 0, chatRate > 0, udpPerConnection >= 1, consoleConnections >= 1 else {
            throw ValidationError("interval ≥ 1 ms; duration, chat rate, UDP per connection and console connections > 0")
        }
        guard renew > 0 && renew < 30 else { throw ValidationError("renew must be under the 30 s lease") }
    }

    func run() throws {
        SignalSource.ignoreSIGPIPE()
        let settings = ScoresScenario.Settings(
            consolePath: console, consoleConnections: consoleConnections, followers: followers, udp: udp,
            udpPerConnection: udpPerConnection, intervalMillis: interval, duration: duration, chatRate: chatRate,
            renewSeconds: renew)
        let loop = try EventLoop()
        let harness = BenchHarness(loop: loop, address: try SocketAddress(host: "127.0.0.1", port: port),
                                   scenario: "scores", target: target)
        harness.serverPID = serverPid
        harness.connectBatch = connectBatch
        let scenario = ScoresScenario(harness: harness, settings: settings)
        // Chat connections, UDP sockets, console connections, the probe, and some slack.
        try Self.raiseDescriptorLimit(to: scenario.connectionCount + udp + consoleConnections + 2 + 64)
        try scenario.start()
        loop.schedule(after: .milliseconds(UInt64(timeLimit * 1000))) {
            harness.report.notes.append("time limit reached")
            harness.finish(failedIf: true)
        }
        try loop.run()
        print(harness.report.jsonLine)
        if harness.report.failed { throw ExitCode(2) }
    }

    /// The soft limit up to the hard one; fails early if even that is too few.
    static func raiseDescriptorLimit(to needed: Int) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < rlim_t(needed) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(needed))
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        guard limit.rlim_cur >= rlim_t(needed) else { throw ScoresBenchError.descriptors(needed: needed, limit: Int(limit.rlim_cur)) }
    }
}
