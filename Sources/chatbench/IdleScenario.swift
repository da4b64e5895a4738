import BenchKit
import CoreLoop

/// `connections` registered, idle clients; reports the server's resident
/// memory growth per connection (needs the server's pid). With `hold`, the
/// connections then stay open that many seconds and the server's CPU over
/// the hold is reported (`holdServerCPU`, cores): what idling costs it,
/// e.g. the once-a-second timeout sweep, at this many connections.
///
/// Thread-safety: loop thread only.
final class IdleScenario {
    let harness: BenchHarness
    let connections: Int
    let serverPID: Int32
    let hold: Double
    private var baseline = 0

    init(harness: BenchHarness, connections: Int, serverPID: Int32, hold: Double = 0) {
        self.harness = harness
        self.connections = connections
        self.serverPID = serverPID
        self.hold = hold
    }

    func start() {
        guard let before = ProcessMemory.residentBytes(pid: serverPID) else {
            harness.report.notes.append("cannot read /proc/\(serverPID)/status")
            return harness.finish(failedIf: true)
        }
        baseline = before
        harness.startMeasuring()
        let started = MonotonicClock.nanoseconds()
        harness.connectMany(connections, prefix: "idle") { [self] _ in
            harness.report.metrics["setupSeconds"] = Double(MonotonicClock.nanoseconds() &- started) / 1e9
            // Let the server settle (allocators, queues drained) before reading.
            harness.loop.schedule(after: .seconds(2)) { [self] in
                harness.finishMeasuring()
                harness.report.recordMemoryGrowth(before: baseline, after: ProcessMemory.residentBytes(pid: serverPID),
                                                  connections: connections)
                guard hold > 0 else { return harness.finish(failedIf: false) }
                holdOpen()
            }
        }
    }

    /// Idle for `hold` seconds with every connection open; the server's CPU
    /// over exactly that window.
    private func holdOpen() {
        let wallStart = MonotonicClock.nanoseconds()
        guard let cpuStart = ProcessCPU.seconds(pid: serverPID) else { return harness.finish(failedIf: true) }
        harness.loop.schedule(after: .milliseconds(UInt64(hold * 1000))) { [self] in
            let wall = Double(MonotonicClock.nanoseconds() &- wallStart) / 1e9
            guard let cpuEnd = ProcessCPU.seconds(pid: serverPID), wall > 0 else { return harness.finish(failedIf: true) }
            harness.report.metrics["holdSeconds"] = wall
            harness.report.metrics["holdServerCPU"] = (cpuEnd - cpuStart) / wall
            harness.report.metrics["rssAfterHoldBytes"] = ProcessMemory.residentBytes(pid: serverPID).map(Double.init)
            harness.finish(failedIf: false)
        }
    }
}
