import ArgumentParser
import BenchKit
import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `chatbench`: drives one scenario against one IRC server on loopback and
/// prints one JSON report line. `bench/compare.sh` runs it against chatd and
/// ngIRCd in turn.
///
/// Thread-safety: a command-line program; the loop runs on the main thread.
@main
struct ChatbenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbench",
        abstract: "Load generator for IRC servers (loopback only).",
        discussion: "Scenarios: fanout, latency, idle, churn, login, file and http-download (chatd only). Prints one JSON line.",
        subcommands: [ScoresBenchCommand.self])

    @Argument(help: "fanout | latency | idle | churn | login | file | http-download") var scenario: String
    @Option(help: "Server port on 127.0.0.1 (http-download and --websocket: chatd's HTTP listener).") var port: Int = 6667
    @Option(help: "A label for the report (e.g. chatd, ngircd).") var target: String = "server"
    @Option(help: "Server process id: its CPU is measured (all scenarios) and its memory read (idle, where it is required).") var serverPid: Int32?
    @Option(help: "Measured seconds (fanout, latency, churn, http-download).") var duration: Double = 10
    @Option(help: "Channel members (fanout: 200, latency: 1000, file: 50).") var members: Int?
    @Option(help: "Senders (fanout: 10, latency: 5).") var senders: Int?
    @Option(help: "Messages in flight per sender (fanout).") var inFlight: Int = 8
    @Option(help: "Total messages per second (latency).") var rate: Double = 50
    @Option(help: "Message size in bytes.") var size: Int = 100
    @Option(help: "Idle connections.") var connections: Int = 10_000
    @Option(help: "Local addresses to connect from: 127.0.0.1 up to 127.0.0.N, in turn (each has ~28,000 ephemeral ports; idle with 100,000 connections needs 4).") var sources: Int = 1
    @Option(help: "idle: seconds to hold the connections open after they are all up; the server's CPU over that hold is reported (the idle cost, e.g. the timeout sweep).") var hold: Double = 0
    @Option(help: "Connections being set up at once (idle: 8; others: 100).") var connectBatch: Int?
    @Option(help: "Churn workers.") var workers: Int = 8
    @Option(help: "SASL log-ins during the login scenario.") var logins: Int = 500
    @Option(help: "Hard limit on the whole run, in seconds.") var timeLimit: Double = 300
    @Option(help: "Clients downloading during the run (file).") var downloaders: Int = 20
    @Option(help: "Bytes of the file they download (file, http-download; at most the server's files.maxBytes).") var fileBytes: Int = 1_048_576
    @Option(help: "Keep-alive HTTP connections downloading (http-download).") var clients: Int = 20
    @Option(help: "chatd's IRC port, for http-download's set-up (account, upload, FILE TOKEN).") var ircPort: Int = 6667
    @Flag(help: "Ask for a random byte range in every request (http-download).") var range = false
    @Flag(help: "Connect with TLS (the port must be a TLS listener; the certificate is not verified).") var tls = false
    @Flag(help: "Speak IRC over WebSocket (fanout, latency): --port is then chatd's HTTP listener (--http-listen).") var websocket = false
    @Option(help: "The WebSocket path (--websocket).") var websocketPath: String = "/irc"
    @Flag(help: "Acknowledge every read at once (TCP_QUICKACK), so a server that leaves Nagle on is not paced by the delayed-ACK timer.") var quickAck = false

    /// ArgumentParser parses the root's own arguments before it looks for a
    /// subcommand, so the `scenario` argument would take a subcommand's name
    /// (`chatbench scores …` → "unknown scenario scores"): a registered
    /// subcommand named first runs directly.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, let sub = configuration.subcommands.first(where: { $0._commandName == first }) {
            sub.main(Array(arguments.dropFirst()))
        } else {
            main(arguments)
        }
    }

    func validate() throws {
        guard ["fanout", "latency", "idle", "churn", "login", "file", "http-download"].contains(scenario) else {
            throw ValidationError("unknown scenario \(scenario)")
        }
        if scenario == "idle" && serverPid == nil { throw ValidationError("idle needs --server-pid") }
        if !(1...250).contains(sources) { throw ValidationError("--sources is 1 to 250 (127.0.0.1 to 127.0.0.250)") }
        if hold < 0 { throw ValidationError("--hold is 0 or more seconds") }
        if websocket && !["fanout", "latency"].contains(scenario) { throw ValidationError("--websocket is for fanout and latency") }
        if scenario == "http-download" && (clients < 1 || fileBytes < 1) { throw ValidationError("http-download needs --clients and --file-bytes of at least 1") }
        if scenario == "http-download" && tls { throw ValidationError("http-download is plain HTTP only") }
        if websocket && tls { throw ValidationError("--websocket is plain HTTP only") }
    }

    func run() throws {
        raiseDescriptorLimit()
        SignalSource.ignoreSIGPIPE()
        let loop = try EventLoop()
        let harness = BenchHarness(loop: loop, address: try SocketAddress(host: "127.0.0.1", port: port),
                                   scenario: scenario, target: target)
        harness.serverPID = serverPid
        if tls { harness.tls = try TLSContext.client() }
        harness.quickAck = quickAck
        harness.httpHost = "127.0.0.1:\(port)"
        if sources > 1 {
            harness.sourceAddresses = try (1...sources).map { try SocketAddress(host: "127.0.0.\($0)", port: 0) }
        }
        if websocket {
            harness.webSocketPath = websocketPath
            harness.report.notes.append("websocket \(websocketPath)")
        }
        harness.report.notes.append(quickAck ? "quick-ack on" : "quick-ack off")
        // ngIRCd listens with a backlog of 10. Past it, SYNs are dropped and
        // retried in step with exponential backoff, so the last few hundred
        // of 10,000 idle connections took minutes (or never came). Memory is
        // what idle measures, not connect speed: stay under the backlog.
        harness.connectBatch = connectBatch ?? (scenario == "idle" ? 8 : 100)
        var storm: LoginStormScenario?
        var files: FileScenario?
        var downloads: HTTPDownloadScenario?
        switch scenario {
        case "fanout":
            FanoutScenario(harness: harness, members: members ?? 200, senders: senders ?? 10, inFlight: inFlight,
                           size: size, duration: duration).start()
        case "latency":
            LatencyScenario(harness: harness, members: members ?? 1000, senders: senders ?? 5, rate: rate,
                            size: size, duration: duration).start()
        case "idle":
            IdleScenario(harness: harness, connections: connections, serverPID: serverPid!, hold: hold).start()
        case "churn":
            ChurnScenario(harness: harness, workers: workers, duration: duration).start()
        case "file":
            let latency = LatencyScenario(harness: harness, members: members ?? 50, senders: senders ?? 5, rate: rate,
                                          size: size, duration: duration)
            files = FileScenario(harness: harness, latency: latency, downloaders: downloaders, fileBytes: fileBytes)
            files?.start()
        case "http-download":
            downloads = HTTPDownloadScenario(harness: harness, ircAddress: try SocketAddress(host: "127.0.0.1", port: ircPort),
                                             clients: clients, fileBytes: fileBytes, duration: duration, ranges: range)
            downloads?.start()
        default:
            let latency = LatencyScenario(harness: harness, members: members ?? 1000, senders: senders ?? 5, rate: rate,
                                          size: size, duration: duration)
            storm = LoginStormScenario(harness: harness, latency: latency, logins: logins, accounts: 10)
            storm?.start()
        }
        // Bounded in time whatever happens.
        loop.schedule(after: .milliseconds(UInt64(timeLimit * 1000))) {
            harness.report.notes.append("time limit reached")
            harness.finish(failedIf: true)
        }
        try loop.run()
        storm?.addFigures()
        files?.addFigures()
        print(harness.report.jsonLine)
        if harness.report.failed { throw ExitCode(2) }
    }

    func raiseDescriptorLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
