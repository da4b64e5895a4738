/// Why a frame from the server could not be read (RFC 6455 §5.2): the run
/// counts it as an error and closes that client.
///
/// Thread-safety: a value type; any thread.
public struct ServerFrameError: Error, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "bad WebSocket frame from the server: \(reason)" }
}
