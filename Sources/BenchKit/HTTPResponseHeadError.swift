/// Why a server's response head could not be read: the run counts it as an
/// error (a benchmark client never guesses at a malformed answer).
///
/// Thread-safety: a value type; any thread.
public struct HTTPResponseHeadError: Error, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "bad HTTP response head: \(reason)" }
}
