import BenchKit
import CoreLoop
import Foundation

/// `scores`: live-score load (issue #12). A fresh match; `followers` chat
/// connections that `SCORES FOLLOW` it; `udp` UDP subscribers, each with its
/// own socket and a token fetched over a chat connection (the followers'
/// own, up to `udpPerConnection` each; more connections if needed); an event
/// pushed through the admin console every `intervalMillis` for `duration`
/// seconds; and a chat probe (two clients, `chatRate` PRIVMSG/s) meanwhile.
///
/// Checks: every follower gets every stored event, in order (a miss is a
/// gap, a repeat or reordering a duplicate: the run fails); the seqs the
/// console gave back are gap-free. UDP loss is a figure, not a failure.
///
/// Thread-safety: loop thread only.
final class ScoresScenario {
    struct Settings {
        var consolePath: String
        var consoleConnections = 8
        var followers = 1000
        var udp = 1000
        var udpPerConnection = 4
        var intervalMillis = 10.0
        var duration = 10.0
        var chatRate = 50.0
        var renewSeconds = 10.0
    }

    let harness: BenchHarness
    let settings: Settings
    var links: [ConsoleLink] = []
    var match: Int64 = 0
    /// Chat connections: the first `followers` follow; all fetch tokens.
    var clients: [BenchClient] = []
    var followerTallies: [SeqTally] = []
    var followerLines = 0
    var receivers: [UDPScoreReceiver] = []
    var driver: ScoreEventDriver?
    var probe: ChatProbe?
    var statusBefore: [String: Any] = [:]
    var statusAfter: [String: Any] = [:]
    private var tokens: [(client: Int, token: String)] = []
    private var udpPort = 0
    private var ready = 0

    init(harness: BenchHarness, settings: Settings) {
        self.harness = harness
        self.settings = settings
    }

    /// Chat connections needed: one per follower, or enough to fetch every token.
    var connectionCount: Int {
        max(settings.followers, (settings.udp + settings.udpPerConnection - 1) / max(1, settings.udpPerConnection))
    }

    func start() throws {
        for _ in 0..<max(1, settings.consoleConnections) {
            let link = try ConsoleLink(path: settings.consolePath, loop: harness.loop)
            link.onClose = { [weak self] reason in self?.fail("console connection closed: \(reason)") }
            links.append(link)
        }
        ask("match-create", ["home": "Bench Rovers", "away": "Load United"]) { [self] reply in
            match = Int64(reply["id"] as? Int ?? 0)
            // Kick-off before anyone subscribes: the run's events are seq 2 on.
            ask("match-event", ["match": match, "type": "kickoff", "minute": 0]) { [self] _ in connectFollowers() }
        }
    }

    /// A console request on the first connection; a refusal fails the run.
    func ask(_ command: String, _ fields: [String: Any], then done: @escaping ([String: Any]) -> Void) {
        var request = fields
        request["cmd"] = command
        links[0].send(request) { [self] reply in
            guard reply["ok"] as? Bool == true else {
                return fail("\(ScoresBenchError.consoleRefused(command: command, reply: "\(reply)"))")
            }
            done(reply)
        }
    }

    func fail(_ note: String) {
        harness.report.errors += 1
        harness.report.notes.append(note)
        harness.finish(failedIf: true)
    }

    // MARK: Setting up

    private func connectFollowers() {
        let count = connectionCount
        followerTallies = Array(repeating: SeqTally(firstExpected: 2), count: settings.followers)
        for j in 0..<settings.udp { tokens.append((j % count, "")) }
        guard count > 0 else { return subscribeUDP() }  // the feed and the probe alone
        harness.connectMany(count, prefix: "sf") { [self] all in
            clients = all
            for client in all {
                client.onLine = { [weak self] c, line in self?.line(c, line) }
                if client.id < settings.followers { client.send("SCORES FOLLOW \(match)") }
            }
            for (client, _) in tokens { all[client].send("SCORES UDP \(match)") }
            // In order after FOLLOW and UDP: when it comes back, both took effect.
            for client in all { client.send("PING :ready") }
        }
    }

    private func line(_ client: BenchClient, _ line: String) {
        if let (id, seq) = ScoreSeq.ofEventLine(line) {
            guard id == match, client.id < followerTallies.count else { return }
            followerLines += 1
            followerTallies[client.id].record(seq)
            return
        }
        let words = line.split(separator: " ", maxSplits: 6)
        if words.count >= 6, words[1] == "SCORES", words[2] == "UDPTOKEN", let port = Int(words[5]) {
            udpPort = port
            // The first empty slot of this client's.
            if let j = tokens.firstIndex(where: { $0.client == client.id && $0.token.isEmpty }) { tokens[j].token = String(words[4]) }
        } else if words.count >= 2, words[1] == "FAIL" {
            fail(line)
        } else if words.count >= 3, words[1] == "PONG", line.hasSuffix(":ready") {
            ready += 1
            if ready == clients.count { subscribeUDP() }
        } else {
            harness.countErrors(line)
        }
    }

    private func subscribeUDP() {
        guard tokens.allSatisfy({ !$0.token.isEmpty }) else { return fail("not every SCORES UDP gave a token") }
        do {
            let server = try SocketAddress(host: "127.0.0.1", port: udpPort)
            receivers = try tokens.map { try UDPScoreReceiver(loop: harness.loop, token: $0.token, server: server, firstExpected: 2) }
        } catch {
            return fail("UDP subscriber: \(error)")
        }
        receivers.forEach { $0.present() }
        // Until every token is acknowledged (a presentation is a datagram too), at most 20 tries.
        var tries = 0
        var retry: TimerHandle?
        retry = harness.loop.scheduleRepeating(every: .milliseconds(250)) { [self] in
            let waiting = receivers.filter { !$0.acknowledged }
            if waiting.isEmpty || tries >= 20 {
                if let retry { harness.loop.cancel(retry) }
                return waiting.isEmpty ? connectProbe() : fail("\(waiting.count) UDP tokens never acknowledged")
            }
            tries += 1
            waiting.forEach { $0.present() }
        }
        // Renew within the 30 s lease, each on its own clock.
        let renewNanos = UInt64(settings.renewSeconds * 1e9)
        harness.loop.scheduleRepeating(every: .milliseconds(100)) { [self] in
            let now = MonotonicClock.nanoseconds()
            for r in receivers where now &- r.lastPresentedNanos > renewNanos { r.present() }
        }
    }

    private func connectProbe() {
        let probe = ChatProbe(harness: harness, rate: settings.chatRate, channel: "#scoreprobe")
        self.probe = probe
        probe.connect(prefix: "sp") { [self] in
            ask("status", [:]) { [self] status in
                statusBefore = status
                begin()
            }
        }
    }

    // MARK: The window

    private func begin() {
        let driver = ScoreEventDriver(loop: harness.loop, links: links, match: match,
                                      intervalMillis: settings.intervalMillis, duration: settings.duration)
        self.driver = driver
        receivers.forEach { $0.counting = true }
        harness.startMeasuring()
        driver.start()
        probe?.start()
        harness.loop.schedule(after: .milliseconds(UInt64(settings.duration * 1000))) { [self] in endWindow() }
    }

    private func endWindow() {
        driver?.stop()
        probe?.stop()
        receivers.forEach { $0.counting = false }
        harness.finishMeasuring()
        // Wait (at most 5 s) for replies and deliveries still in flight, then
        // (at most 0.5 s more) for UDP stragglers.
        var waited = 0, tcpDoneAt: Int?
        var poll: TimerHandle?
        poll = harness.loop.scheduleRepeating(every: .milliseconds(10)) { [self] in
            waited += 10
            guard let driver else { return }
            let tcpDone = driver.outstanding == 0 && (probe?.complete ?? true)
                && followerTallies.allSatisfy { $0.received >= driver.stored }
            if tcpDone && tcpDoneAt == nil { tcpDoneAt = waited }
            let udpDone = receivers.allSatisfy { $0.tally.received >= driver.stored }
            if (tcpDone && (udpDone || waited - tcpDoneAt! >= 500)) || waited >= 5000 {
                if let poll { harness.loop.cancel(poll) }
                ask("status", [:]) { [self] status in
                    statusAfter = status
                    report()
                }
            }
        }
    }
}
