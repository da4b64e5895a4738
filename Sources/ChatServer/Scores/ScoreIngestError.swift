/// Why an ingest file was refused: each bad line, by number.
///
/// Thread-safety: a value type; any thread.
public struct ScoreIngestError: Error, Equatable, CustomStringConvertible {
    public struct Problem: Equatable {
        public var line: Int
        public var reason: String
    }

    public var problems: [Problem]

    public var description: String {
        "nothing applied; " + problems.map { "line \($0.line): \($0.reason)" }.joined(separator: "; ")
    }
}
