import Foundation

/// One scenario run's outcome, printed as a JSON line for the compare script.
///
/// Thread-safety: a value type; any thread.
public struct BenchReport: Codable {
    public var scenario: String
    public var target: String
    /// The figures: deliveries/s, p50/p99 ms, bytes per connection…
    public var metrics: [String: Double]
    public var errors: Int
    public var disconnects: Int
    public var gaps: UInt64
    public var duplicates: UInt64
    /// Generator CPU time / wall time (1.0 = one core fully busy).
    public var generatorCPU: Double
    /// Server CPU time / wall time over the measured window, when the
    /// generator was given the server's pid.
    public var serverCPU: Double?
    /// True when the generator was the bottleneck: figures are lower bounds.
    public var lowerBound: Bool
    /// True when anything was lost, duplicated or errored: not a valid result.
    public var failed: Bool
    public var notes: [String]

    public init(scenario: String, target: String) {
        self.scenario = scenario
        self.target = target
        metrics = [:]
        errors = 0
        disconnects = 0
        gaps = 0
        duplicates = 0
        generatorCPU = 0
        lowerBound = false
        failed = false
        notes = []
    }

    /// Settles `failed` at the end of a run: one that errored, lost,
    /// duplicated, was disconnected or was cut short (`broken`) is not a
    /// result, however fast. Once failed, a report stays failed.
    public mutating func settle(broken: Bool) {
        failed = failed || broken || errors > 0 || disconnects > 0 || gaps > 0 || duplicates > 0
    }

    /// The idle scenario's figures, from the server's resident memory before
    /// and after opening `connections`. Without the second reading (the
    /// server exited, or /proc could not be read) there is no figure and the
    /// run fails: taking the first reading for it reported 0 bytes per
    /// connection, the best result possible.
    public mutating func recordMemoryGrowth(before: Int, after: Int?, connections: Int) {
        metrics["rssBeforeBytes"] = Double(before)
        guard let after else {
            failed = true
            notes.append("the server's resident memory could not be read after connecting")
            return
        }
        metrics["rssAfterBytes"] = Double(after)
        metrics["bytesPerConnection"] = Double(after - before) / Double(max(connections, 1))
    }

    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
