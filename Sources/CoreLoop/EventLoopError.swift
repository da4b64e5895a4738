/// Why an `EventLoop` refused a request.
///
/// Thread-safety: a value type; any thread.
public enum EventLoopError: Error, CustomStringConvertible {
    /// The loop was closed (`EventLoop.close()`): it takes no registrations
    /// and runs no more turns.
    case closed

    public var description: String {
        switch self {
        case .closed: return "event loop closed"
        }
    }
}
