import BenchKit
import CoreLoop
import Foundation

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

    static func residentBytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first
            return kb.map { $0 * 1024 }
        }
        return nil
    }

    func start() {
        guard let before = Self.residentBytes(pid: serverPID) else {
            harness.report.notes.append("cannot read /proc/\(serverPID)/status")
            return harness.finish(failedIf: true)
        }
        baseline = before
        harness.startMeasuring()
        harness.connectMany(connections, prefix: "idle") { [self] _ in
            // Let the server settle (allocators, queues drained) before reading.
            harness.loop.schedule(after: .seconds(2)) { [self] in
                harness.finishMeasuring()
                let after = Self.residentBytes(pid: serverPID) ?? baseline
                harness.report.metrics["rssBeforeBytes"] = Double(baseline)
                harness.report.metrics["rssAfterBytes"] = Double(after)
                harness.report.metrics["bytesPerConnection"] = Double(after - baseline) / Double(connections)
                harness.finish(failedIf: false)
            }
        }
    }
}
