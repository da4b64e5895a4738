import CoreLoop

/// Builds the Prometheus text exposition format (version 0.0.4): a `HELP`
/// and `TYPE` line per family, then its samples.
///
/// Why not swift-prometheus: chatd's counters already exist as plain
/// integers on the loop thread (`ServerStats`, `EventLoopStats`, the
/// features' own), bumped on the hot path without locks. swift-prometheus
/// keeps its own counters behind locks/atomics in a registry: using it would
/// mean counting everything twice, or copying snapshots into its counters
/// (which only go up by increments) on every scrape. The format is a few
/// lines of text, so `/metrics` renders the existing numbers directly.
///
/// Thread-safety: a value type; loop thread in practice.
struct PrometheusText {
    private(set) var text = ""

    mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    mutating func counter(_ name: String, _ help: String, _ value: UInt64) {
        family(name, "counter", help)
        sample(name, [], Double(value))
    }

    mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        family(name, "gauge", help)
        sample(name, [], value)
    }

    /// A histogram in seconds from a `LatencyHistogram` (cumulative buckets, `+Inf`, sum, count).
    mutating func histogram(_ name: String, _ help: String, _ h: LatencyHistogram) {
        family(name, "histogram", help)
        var cumulative: UInt64 = 0
        for (i, bound) in LatencyHistogram.boundsNanos.enumerated() {
            cumulative &+= h.counts[i]
            sample(name + "_bucket", [("le", Self.format(Double(bound) / 1e9))], Double(cumulative))
        }
        sample(name + "_bucket", [("le", "+Inf")], Double(h.count))
        sample(name + "_sum", [], Double(h.sumNanos) / 1e9)
        sample(name + "_count", [], Double(h.count))
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
