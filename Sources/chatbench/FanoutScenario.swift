import BenchKit
import CoreLoop

/// `members` in one channel, `senders` of them each keeping `inFlight`
/// messages outstanding; a message completes when every other member has
/// it, and its sender then sends the next. Reports deliveries per second and
/// completion latency.
///
/// Thread-safety: loop thread only.
final class FanoutScenario: RawLineSink {
    let harness: BenchHarness
    let members: Int, senders: Int, inFlight: Int, size: Int, duration: Double
    private var clients: [BenchClient] = []
    private var checkers: [SequenceChecker] = []
    /// Messages in flight, `ring` slots per sender, by seq % ring: an array,
    /// not a dictionary keyed by (sender, seq), whose hashing was a tenth of
    /// the generator's core. A sender has at most `inFlight` messages out,
    /// so a slot is only still taken when a message has not completed after
    /// `ring` later ones did; that message is counted as an error.
    private var pending: [InFlightMessage] = []
    private var ring = 0
    private var outstanding = 0
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
        harness.connectAndJoin(members, prefix: "fan", channel: "#fanout") { [self] all in
            clients = all
            checkers = Array(repeating: SequenceChecker(), count: all.count)
            nextSeq = Array(repeating: 0, count: senders)
            ring = max(1024, inFlight * 16)
            pending = Array(repeating: InFlightMessage(), count: senders * ring)
            // Only the sender and sequence number are read per delivery.
            for client in all { client.rawLineSink = .passUnretained(self) }
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
        let slot = sender * ring + Int(seq % UInt64(ring))
        if pending[slot].waitingFor > 0 {
            harness.report.errors += 1
            harness.report.notes.append("sender \(sender)'s message \(pending[slot].seq) incomplete after \(ring) later ones")
            outstanding -= 1
        }
        let sentAt = MonotonicClock.nanoseconds()
        pending[slot] = InFlightMessage(seq: seq, waitingFor: members - 1, sentAt: sentAt)
        outstanding += 1
        let payload = BenchPayload(sender: sender, seq: seq, stampNanos: sentAt)
        clients[sender].send("PRIVMSG #fanout :" + payload.text(size: size))
    }

    /// One line for a member; false if it is not a benchmark message.
    override func take(_ raw: UnsafeRawBufferPointer, from client: BenchClient) -> Bool {
        guard let (sender, seq) = BenchLine.sequence(raw) else { return false }
        checkers[client.id].record(sender: sender, seq: seq)
        if measuring { deliveries += 1 }
        guard sender >= 0, sender < senders else { return true }
        let slot = sender * ring + Int(seq % UInt64(ring))
        guard pending[slot].seq == seq, pending[slot].waitingFor > 0 else { return true }
        pending[slot].waitingFor -= 1
        if pending[slot].waitingFor == 0 {
            outstanding -= 1
            latency.record(MonotonicClock.nanoseconds() &- pending[slot].sentAt)
            send(from: sender)
        }
        return true
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
            if outstanding == 0 || waited >= 5000 { report() }
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
