/// The two HTTP versions this server speaks on the wire.
///
/// Thread-safety: a value type; any thread.
public enum HTTPVersion: String, Equatable, Sendable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}
