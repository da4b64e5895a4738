import BenchKit
import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What every scenario shares: the loop, the target, connecting many clients
/// in bounded batches, counting errors and disconnects, and measuring the
/// generator's own CPU.
///
/// Thread-safety: loop thread only.
final class BenchHarness {
    let loop: EventLoop
    let address: SocketAddress
    var report: BenchReport
    /// Clients being connected at once; the server's accept backlog is finite.
    var connectBatch = 100
    /// The server's pid, when known: its CPU over the window is reported too.
    var serverPID: Int32?
    /// Set by `--tls`: clients connect with TLS.
    var tls: TLSContext?
    /// Set by `--quick-ack`: every client acknowledges reads at once (see `BenchClient.quickAck`).
    var quickAck = false
    /// Set by `--websocket`: clients speak IRC over WebSocket on this path of
    /// an HTTP listener.
    var webSocketPath: String?
    /// Local addresses clients connect from, in turn (`--sources`); empty:
    /// the kernel's choice. One source address has ~28,000 ephemeral ports.
    var sourceAddresses: [SocketAddress] = []
    /// The `Host` HTTP requests send (`127.0.0.1:<port>`).
    var httpHost = ""
    private var cpuStart: (wallNanos: UInt64, cpu: Double, server: Double?) = (0, 0, nil)
    /// The measured window's length, known once `finishMeasuring` ran: what
    /// rates are per. The timer that ends a run fires late when the loop is
    /// busy, so the nominal duration would overstate them.
    private(set) var measuredSeconds: Double = 0
    /// Server CPU seconds spent in the measured window (nil without a pid).
    private(set) var serverCPUSeconds: Double?

    init(loop: EventLoop, address: SocketAddress, scenario: String, target: String) {
        self.loop = loop
        self.address = address
        report = BenchReport(scenario: scenario, target: target)
    }

    /// Connects and registers `count` clients (nicks `<prefix><i>`), at most
    /// `connectBatch` in flight, then calls `done` with all of them.
    func connectMany(_ count: Int, prefix: String, preamble: [String] = [], then done: @escaping ([BenchClient]) -> Void) {
        var clients: [BenchClient] = []
        var next = 0, ready = 0
        func launch() {
            guard next < count else { return }
            let client = BenchClient(id: next, nick: "\(prefix)\(next)")
            client.quickAck = quickAck
            if let webSocketPath { client.webSocket = BenchWebSocket(path: webSocketPath, host: httpHost) }
            next += 1
            clients.append(client)
            client.onRegistered = { _ in
                ready += 1
                if ready == count { done(clients) } else { launch() }
            }
            client.onClose = { [weak self] c, reason in
                guard let self else { return }
                report.disconnects += 1
                // Before registering, nothing would ever complete the set-up.
                if !c.registered {
                    report.notes.append("\(c.nick) closed before registering: \(reason)")
                    finish(failedIf: true)
                }
            }
            client.onLine = { [weak self] _, line in self?.countErrors(line) }
            let source = sourceAddresses.isEmpty ? nil : sourceAddresses[client.id % sourceAddresses.count]
            client.connect(loop: loop, to: address, from: source, tls: tls, preamble: preamble) { [weak self] error in
                self?.report.errors += 1
                self?.report.notes.append("connect failed: \(error)")
                self?.finish(failedIf: true)
            }
        }
        for _ in 0..<min(connectBatch, count) { launch() }
    }

    /// Connects `count` clients, joins them all to `channel`, then calls
    /// `ready`; every later benchmark message of theirs goes to `onPayload`
    /// (or to a scenario's own `rawLineSink`, set in `ready`).
    func connectAndJoin(_ count: Int, prefix: String, channel: String,
                        onPayload: ((BenchClient, BenchPayload) -> Void)? = nil, ready: @escaping ([BenchClient]) -> Void) {
        connectMany(count, prefix: prefix) { all in
            var joined = 0
            for client in all {
                client.onPayload = onPayload
                client.onNumeric = { _, code in
                    guard code == 366, joined < count else { return }
                    joined += 1
                    if joined == count { ready(all) }
                }
                client.send("JOIN \(channel)")
            }
        }
    }

    /// Adds every receiver's gaps and duplicates to the report, and what it
    /// never got at all: receiver `r` (client `r`) should have every message
    /// of every other sender `s`, which sent `sent[s]`.
    func addSequenceChecks(_ checkers: [SequenceChecker], sent: [UInt64]) {
        report.gaps += checkers.reduce(0) { $0 + $1.gaps }
        report.duplicates += checkers.reduce(0) { $0 + $1.duplicates }
        var missing: UInt64 = 0
        for (r, checker) in checkers.enumerated() {
            for (s, count) in sent.enumerated() where s != r { missing += checker.missing(sender: s, sent: count) }
        }
        if missing > 0 {
            report.gaps += missing
            report.notes.append("\(missing) deliveries never arrived")
        }
    }

    /// Server errors a well-behaved benchmark client should never see.
    func countErrors(_ line: String) {
        if line.hasPrefix("ERROR") {
            report.errors += 1
            if report.notes.count < 5 { report.notes.append(line) }
            return
        }
        // ":server NNN nick …": 4xx/5xx numerics are errors.
        let parts = line.split(separator: " ", maxSplits: 2)
        if parts.count > 1, let code = Int(parts[1]), (400..<600).contains(code) {
            report.errors += 1
            if report.notes.count < 5 { report.notes.append(line) }
        }
    }

    func startMeasuring() {
        cpuStart = (MonotonicClock.nanoseconds(), Self.cpuSeconds(), serverPID.flatMap(ProcessCPU.seconds(pid:)))
    }

    /// Generator CPU over the measured window; above 0.9 of a core the
    /// generator may have been the bottleneck. With a server pid, also the
    /// server's CPU (cores busy) over the same window.
    func finishMeasuring() {
        let wall = Double(MonotonicClock.nanoseconds() &- cpuStart.wallNanos) / 1e9
        measuredSeconds = wall
        let cpu = Self.cpuSeconds() - cpuStart.cpu
        report.generatorCPU = wall > 0 ? cpu / wall : 0
        if let pid = serverPID, let before = cpuStart.server, let after = ProcessCPU.seconds(pid: pid), wall > 0 {
            serverCPUSeconds = after - before
            report.serverCPU = (after - before) / wall
        }
        report.lowerBound = report.generatorCPU > 0.9
        if report.lowerBound { report.notes.append("generator CPU saturated: figures are lower bounds") }
    }

    /// `count` per second of the measured window (0 before it ended).
    func perMeasuredSecond(_ count: Int) -> Double {
        measuredSeconds > 0 ? Double(count) / measuredSeconds : 0
    }

    /// `count` operations per second of server CPU: what the server could do
    /// on one full core, the figure that still compares servers when the
    /// generator is the bottleneck. Recorded as `metric` when the server's
    /// CPU is known.
    func recordPerServerCPUSecond(_ count: Double, as metric: String) {
        guard let seconds = serverCPUSeconds, seconds > 0 else { return }
        report.metrics[metric] = count / seconds
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Ends the run: the report is printed by the command after the loop returns.
    func stop() {
        loop.stop()
    }

    func finish(failedIf broken: Bool) {
        report.settle(broken: broken)
        stop()
    }
}
