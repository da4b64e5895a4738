import BenchKit
import CoreLoop

/// `members` in one channel; `senders` send at a fixed total `rate` (open
/// loop). Each message carries its *scheduled* send time, so a stalled server
/// shows up as latency instead of as fewer messages (no coordinated
/// omission). Reports p50/p99/p99.9/max over every delivery.
///
/// Thread-safety: loop thread only.
final class LatencyScenario {
    let harness: BenchHarness
    let members: Int, senders: Int, rate: Double, size: Int, duration: Double
    /// Runs during the measured window (the login storm uses it).
    var duringRun: () -> Void = {}
    private var clients: [BenchClient] = []
    private var checkers: [SequenceChecker] = []
    private var latency = LatencyRecorder()
    private var sent = 0
    /// Messages sent, by sender.
    private var sentBy: [UInt64] = []
    private var startNanos: UInt64 = 0
    private var ticker: TimerHandle?
    private var expected = 0
    private var received = 0

    init(harness: BenchHarness, members: Int, senders: Int, rate: Double, size: Int, duration: Double) {
        self.harness = harness
        self.members = members
        self.senders = min(senders, members)
        self.rate = rate
        self.size = size
        self.duration = duration
    }

    func start() {
        harness.connectAndJoin(members, prefix: "lat", channel: "#latency", onPayload: { [self] c, payload in receive(c, payload) }) { [self] all in
            clients = all
            checkers = Array(repeating: SequenceChecker(), count: all.count)
            sentBy = Array(repeating: 0, count: senders)
            begin()
        }
    }

    private func begin() {
        harness.startMeasuring()
        startNanos = MonotonicClock.nanoseconds()
        let total = Int(rate * duration)
        let interval = 1e9 / rate
        // Wake often; send whatever the schedule says is due, stamped with
        // the time it was due.
        ticker = harness.loop.scheduleRepeating(every: .milliseconds(1)) { [self] in
            let now = MonotonicClock.nanoseconds()
            while sent < total {
                let due = startNanos + UInt64(Double(sent) * interval)
                guard due <= now else { break }
                let sender = sent % senders
                let payload = BenchPayload(sender: sender, seq: sentBy[sender], stampNanos: due)
                sentBy[sender] += 1
                clients[sender].send("PRIVMSG #latency :" + payload.text(size: size))
                sent += 1
                expected += members - 1
            }
            if sent == total, let t = ticker {
                harness.loop.cancel(t)
                ticker = nil
                // Give the last deliveries time to arrive, bounded.
                harness.loop.schedule(after: .seconds(5)) { [self] in end() }
            }
        }
        duringRun()
    }

    private func receive(_ client: BenchClient, _ payload: BenchPayload) {
        checkers[client.id].record(sender: payload.sender, seq: payload.seq)
        latency.record(MonotonicClock.nanoseconds() &- payload.stampNanos)
        received += 1
        if received == expected && sent == Int(rate * duration) { end() }
    }

    private var ended = false
    private func end() {
        guard !ended else { return }
        ended = true
        harness.finishMeasuring()
        var r = harness.report
        r.metrics["p50Millis"] = latency.percentileMillis(50)
        r.metrics["p99Millis"] = latency.percentileMillis(99)
        r.metrics["p999Millis"] = latency.percentileMillis(99.9)
        r.metrics["maxMillis"] = latency.maxMillis
        r.metrics["deliveries"] = Double(received)
        harness.report = r
        harness.addSequenceChecks(checkers, sent: sentBy)
        harness.finish(failedIf: false)
    }
}
