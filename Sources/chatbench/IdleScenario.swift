import BenchKit
import CoreLoop

/// `connections` registered, idle clients; reports the server's resident
/// memory growth per connection (needs the server's pid).
///
/// Thread-safety: loop thread only.
final class IdleScenario {
    let harness: BenchHarness
    let connections: Int
    let serverPID: Int32
    private var baseline = 0

    init(harness: BenchHarness, connections: Int, serverPID: Int32) {
        self.harness = harness
        self.connections = connections
        self.serverPID = serverPID
    }

    func start() {
        guard let before = ProcessMemory.residentBytes(pid: serverPID) else {
            harness.report.notes.append("cannot read /proc/\(serverPID)/status")
            return harness.finish(failedIf: true)
        }
        baseline = before
        harness.startMeasuring()
        harness.connectMany(connections, prefix: "idle") { [self] _ in
            // Let the server settle (allocators, queues drained) before reading.
            harness.loop.schedule(after: .seconds(2)) { [self] in
                harness.finishMeasuring()
                harness.report.recordMemoryGrowth(before: baseline, after: ProcessMemory.residentBytes(pid: serverPID),
                                                  connections: connections)
                harness.finish(failedIf: false)
            }
        }
    }
}
