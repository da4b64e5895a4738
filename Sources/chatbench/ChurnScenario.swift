import BenchKit
import CoreLoop

/// `workers` clients each looping connect → register → join → message → quit
/// (waiting for the server to close); reports completed cycles per second.
///
/// Thread-safety: loop thread only.
final class ChurnScenario {
    let harness: BenchHarness
    let workers: Int, duration: Double
    private var cycles = 0
    private var running = true
    private var serial = 0
    private var latency = LatencyRecorder()

    init(harness: BenchHarness, workers: Int, duration: Double) {
        self.harness = harness
        self.workers = workers
        self.duration = duration
    }

    func start() {
        harness.startMeasuring()
        for w in 0..<workers { cycle(worker: w) }
        harness.loop.schedule(after: .milliseconds(UInt64(duration * 1000))) { [self] in
            running = false
            harness.finishMeasuring()
            harness.report.metrics["cyclesPerSecond"] = harness.perMeasuredSecond(cycles)
            harness.report.metrics["cycles"] = Double(cycles)
            harness.report.metrics["cycleP50Millis"] = latency.percentileMillis(50)
            harness.report.metrics["cycleP99Millis"] = latency.percentileMillis(99)
            harness.recordPerServerCPUSecond(Double(cycles), as: "cyclesPerServerCPUSecond")
            harness.finish(failedIf: cycles == 0)
        }
    }

    private func cycle(worker: Int) {
        guard running else { return }
        serial += 1
        let client = BenchClient(id: worker, nick: "churn\(worker)x\(serial % 100_000)")
        client.quickAck = harness.quickAck
        let startedNanos = MonotonicClock.nanoseconds()
        var quitting = false
        client.onRegistered = { c in c.send("JOIN #churn") }
        // Replies are read from bytes: with a String per line the generator
        // was saturated before either server.
        client.onNumeric = { c, code in
            guard code == 366 else { return }
            c.send("PRIVMSG #churn :cycle")
            c.send("QUIT :done")
            quitting = true
        }
        client.onLine = { [self] _, line in
            if !line.hasPrefix("ERROR") { harness.countErrors(line) }
        }
        client.onClose = { [self] _, _ in
            if quitting {
                cycles += 1
                // Connect to close, as a user would wait for it.
                if running { latency.record(MonotonicClock.nanoseconds() &- startedNanos) }
            } else {
                harness.report.disconnects += 1
            }
            cycle(worker: worker)
        }
        client.connect(loop: harness.loop, to: harness.address, tls: harness.tls) { [self] error in
            harness.report.errors += 1
            harness.report.notes.append("connect failed: \(error)")
            running = false
        }
    }
}
