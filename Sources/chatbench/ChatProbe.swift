import BenchKit
import CoreLoop

/// Chat latency while something else loads the server: two clients in a
/// channel, one sending at a fixed `rate` (open loop, stamped with the
/// scheduled time, as `LatencyScenario`), the other receiving.
///
/// Thread-safety: loop thread only.
final class ChatProbe {
    private let harness: BenchHarness
    private let rate: Double
    private let channel: String
    private var clients: [BenchClient] = []
    private var ticker: TimerHandle?
    private var startNanos: UInt64 = 0
    private(set) var sent = 0
    private(set) var received = 0
    private(set) var latency = LatencyRecorder()
    private(set) var checker = SequenceChecker()

    init(harness: BenchHarness, rate: Double, channel: String) {
        self.harness = harness
        self.rate = rate
        self.channel = channel
    }

    /// Connects both and joins them; `ready` once both are in.
    func connect(prefix: String, ready: @escaping () -> Void) {
        harness.connectAndJoin(2, prefix: prefix, channel: channel, onPayload: { [self] client, payload in
            guard client.id == 1 else { return }
            checker.record(sender: payload.sender, seq: payload.seq)
            latency.record(MonotonicClock.nanoseconds() &- payload.stampNanos)
            received += 1
        }) { [self] all in
            clients = all
            ready()
        }
    }

    func start() {
        startNanos = MonotonicClock.nanoseconds()
        let interval = 1e9 / rate
        ticker = harness.loop.scheduleRepeating(every: .milliseconds(1)) { [self] in
            let now = MonotonicClock.nanoseconds()
            while true {
                let due = startNanos + UInt64(Double(sent) * interval)
                guard due <= now else { break }
                let payload = BenchPayload(sender: 0, seq: UInt64(sent), stampNanos: due)
                clients[0].send("PRIVMSG \(channel) :" + payload.text(size: 100))
                sent += 1
            }
        }
    }

    func stop() {
        if let ticker { harness.loop.cancel(ticker) }
        ticker = nil
    }

    var complete: Bool { received >= sent }
}
