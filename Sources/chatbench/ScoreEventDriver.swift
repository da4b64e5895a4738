import BenchKit
import CoreLoop

/// The operator feed at a fixed rate: one `match-event` every `interval`
/// through the console, open loop (the schedule does not wait for the
/// server). An event goes out on a console connection that is not waiting
/// for a reply; when all are, due events wait here (`maxBacklog`), since the
/// console answers each connection in order. Each reply says the event is
/// on disk: from the time it was due to then is `storeLatency`.
///
/// Thread-safety: loop thread only.
final class ScoreEventDriver {
    private let loop: EventLoop
    private let links: [ConsoleLink]
    private let match: Int64
    private let intervalNanos: UInt64
    /// Events the schedule holds: duration / interval.
    let total: Int
    private var startNanos: UInt64 = 0
    private var ticker: TimerHandle?
    private var sending = false

    /// Due by the schedule (so far), sent to the console, answered.
    private(set) var asked = 0
    private(set) var sent = 0
    private(set) var stored = 0
    private(set) var refused = 0
    private(set) var maxBacklog = 0
    /// The seqs the console gave back.
    private(set) var seqs: [Int64] = []
    private(set) var storeLatency = LatencyRecorder()
    private(set) var firstRefusal: String?

    var outstanding: Int { sent - stored - refused }

    init(loop: EventLoop, links: [ConsoleLink], match: Int64, intervalMillis: Double, duration: Double) {
        self.loop = loop
        self.links = links
        self.match = match
        intervalNanos = UInt64(intervalMillis * 1e6)
        total = Int(duration * 1000 / intervalMillis)
    }

    func start() {
        startNanos = MonotonicClock.nanoseconds()
        sending = true
        // Wake every millisecond; whatever the schedule says is due goes.
        ticker = loop.scheduleRepeating(every: .milliseconds(1)) { [self] in tick() }
        tick()
    }

    /// The window is over: nothing more is sent (what is still due stays unsent and is reported).
    func stop() {
        sending = false
        if let ticker { loop.cancel(ticker) }
        ticker = nil
    }

    private func tick() {
        guard sending else { return }
        let elapsed = MonotonicClock.nanoseconds() &- startNanos
        asked = min(total, Int(elapsed / intervalNanos) + 1)
        dispatch()
        maxBacklog = max(maxBacklog, asked - sent)
    }

    private func dispatch() {
        guard sending else { return }
        for link in links where sent < asked && !link.busy && link.isOpen {
            let due = startNanos &+ UInt64(sent) &* intervalNanos
            sent += 1
            link.send(["cmd": "match-event", "match": match, "type": "foul", "team": "home", "minute": 10]) { [self] reply in
                if reply["ok"] as? Bool == true, let seq = reply["seq"] as? Int {
                    stored += 1
                    seqs.append(Int64(seq))
                    storeLatency.record(MonotonicClock.nanoseconds() &- due)
                } else {
                    refused += 1
                    if firstRefusal == nil { firstRefusal = "\(reply["error"] ?? reply)" }
                }
                dispatch()
            }
        }
    }

    /// Whether the seqs given back are exactly first, first+1, … (none skipped or repeated).
    func seqsAreGapFree(from first: Int64) -> Bool {
        seqs.sorted() == Array(first..<(first + Int64(seqs.count)))
    }
}
