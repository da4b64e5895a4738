import ArgumentParser
import Foundation
import ScoreFeed
#if canImport(Glibc)
import Glibc
#endif

/// `scorewatch`: the reference UDP subscriber. Logs in to chatd over IRC,
/// asks for a UDP token (`SCORES UDP <match>`), sends it to the UDP port,
/// renews it every ten seconds, prints each event as a line and, on exit
/// (after `--duration`, at full-time with `--until-full-time`, or on
/// Ctrl-C), its statistics.
///
/// Thread-safety: single-threaded (the main thread).
struct ScoreWatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorewatch", abstract: "Follow a match over chatd's UDP score stream and report loss.")

    @Option(help: "chatd's IRC address, HOST:PORT.") var server = "127.0.0.1:6667"
    @Option(help: "The nick to log in with.") var nick = "watcher\(getpid() % 10000)"
    @Option(help: "The match id.") var match: Int64
    @Option(help: "Seconds to watch (0: until Ctrl-C).") var duration: Double = 0
    @Flag(help: "Stop after the full-time event.") var untilFullTime = false
    @Option(help: "Seconds between token renewals.") var renew: Double = 10

    func run() throws {
        let (host, portText) = try split(server)
        guard let port = UInt16(portText) else { throw ValidationError("bad port in \(server)") }
        let irc = try LineSocket(host: host, port: port)
        try irc.send("NICK \(nick)\r\nUSER \(nick) 0 * :scorewatch\r\n")
        var token = "", udpPort: UInt16 = 0
        let deadline = Date().addingTimeInterval(20)
        while token.isEmpty {
            guard Date() < deadline, let line = try irc.readLine(timeout: deadline.timeIntervalSinceNow) else {
                throw ValidationError("no answer from \(server)")
            }
            let words = line.split(separator: " ").map(String.init)
            if words.first == "PING" { try irc.send("PONG \(words.dropFirst().joined(separator: " "))\r\n") }
            if words.count > 1 && words[1] == "001" { try irc.send("SCORES UDP \(match)\r\n") }
            if words.count > 1 && (words[1] == "433" || words[1] == "FAIL") { throw ValidationError(line) }
            if let i = words.firstIndex(of: "UDPTOKEN"), words.count > i + 3 {
                token = words[i + 2]
                udpPort = UInt16(words[i + 3]) ?? 0
            }
        }
        let udp = try DatagramSocket(host: host, port: udpPort)
        var subscriber = ScoreSubscriber(match: match)
        signal(SIGINT) { _ in ScoreWatch.interrupted = 1 }
        let end = duration > 0 ? Date().addingTimeInterval(duration) : Date.distantFuture
        var nextRenewal = Date()
        var finished = false
        while Date() < end && ScoreWatch.interrupted == 0 && !finished {
            if Date() >= nextRenewal {
                try udp.send(Array(token.utf8))
                nextRenewal = Date().addingTimeInterval(renew)
            }
            while let line = try irc.readLine(timeout: 0) {
                if line.hasPrefix("PING") { try irc.send("PONG" + line.dropFirst(4) + "\r\n") }
            }
            guard let datagram = udp.receive(timeout: 0.5) else { continue }
            if let line = subscriber.receive(datagram) {
                print(line)
                fflush(stdout)
                if untilFullTime && line.contains(" FULL TIME") { finished = true }
            }
        }
        try? irc.send("QUIT :scorewatch done\r\n")
        print(subscriber.statistics.summary)
    }

    nonisolated(unsafe) static var interrupted: sig_atomic_t = 0

    private func split(_ address: String) throws -> (String, String) {
        guard let colon = address.lastIndex(of: ":") else { throw ValidationError("expected HOST:PORT, not \(address)") }
        return (String(address[..<colon]), String(address[address.index(after: colon)...]))
    }
}

ScoreWatch.main()
