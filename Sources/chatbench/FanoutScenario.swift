import BenchKit
import CoreLoop

/// `members` in one channel, `senders` of them each keeping `inFlight`
/// messages outstanding; a message completes when every other member has
/// it, and its sender then sends the next. Reports deliveries per second and
/// completion latency.
///
/// Thread-safety: loop thread only.
final class FanoutScenario {
    let harness: BenchHarness
    let members: Int, senders: Int, inFlight: Int, size: Int, duration: Double
    private var clients: [BenchClient] = []
    private var checkers: [SequenceChecker] = []
    private var outstanding: [UInt64: Int] = [:]  // (sender << 40 | seq) → receivers still missing it
    private var nextSeq: [UInt64] = []
    private var latency = LatencyRecorder()
    private var deliveries = 0
    private var measuring = false
    private var sending = true

    init(harness: BenchHarness, members: Int, senders: Int, inFlight: Int, size: Int, duration: Double) {
        self.harness = harness
        self.members = members
        self.senders = min(senders, members)
        self.inFlight = inFlight
        self.size = size
        self.duration = duration
    }

    func start() {
        harness.connectAndJoin(members, prefix: "fan", channel: "#fanout", onPayload: { [self] c, payload in receive(c, payload) }) { [self] all in
            clients = all
            checkers = Array(repeating: SequenceChecker(), count: all.count)
            nextSeq = Array(repeating: 0, count: senders)
            begin()
        }
    }

    private func begin() {
        harness.startMeasuring()
        measuring = true
        for s in 0..<senders { for _ in 0..<inFlight { send(from: s) } }
        harness.loop.schedule(after: .milliseconds(UInt64(duration * 1000))) { [self] in end() }
    }

    private func send(from sender: Int) {
        guard sending else { return }
        let seq = nextSeq[sender]
        nextSeq[sender] += 1
        outstanding[UInt64(sender) << 40 | seq] = members - 1
        let payload = BenchPayload(sender: sender, seq: seq, stampNanos: MonotonicClock.nanoseconds())
        clients[sender].send("PRIVMSG #fanout :" + payload.text(size: size))
    }

    private func receive(_ client: BenchClient, _ payload: BenchPayload) {
        checkers[client.id].record(sender: payload.sender, seq: payload.seq)
        if measuring { deliveries += 1 }
        let key = UInt64(payload.sender) << 40 | payload.seq
        guard let left = outstanding[key] else { return }
        if left <= 1 {
            outstanding[key] = nil
            latency.record(MonotonicClock.nanoseconds() &- payload.stampNanos)
            send(from: payload.sender)
        } else {
            outstanding[key] = left - 1
        }
    }

    /// Stops measuring and sending, then waits (at most 5 s) for the
    /// messages still in flight, so a loss near the end is seen too.
    private func end() {
        measuring = false
        sending = false
        harness.finishMeasuring()
        var waited = 0
        _ = harness.loop.scheduleRepeating(every: .milliseconds(10)) { [self] in
            waited += 10
            if outstanding.isEmpty || waited >= 5000 { report() }
        }
    }

    private var reported = false
    private func report() {
        guard !reported else { return }
        reported = true
        harness.recordPerServerCPUSecond(Double(deliveries), as: "deliveriesPerServerCPUSecond")
        var r = harness.report
        r.metrics["deliveriesPerSecond"] = harness.perMeasuredSecond(deliveries)
        r.metrics["completionP50Millis"] = latency.percentileMillis(50)
        r.metrics["completionP99Millis"] = latency.percentileMillis(99)
        r.metrics["messagesCompleted"] = Double(latency.count)
        harness.report = r
        harness.addSequenceChecks(checkers, sent: nextSeq)
        harness.finish(failedIf: latency.count == 0)
    }
}
