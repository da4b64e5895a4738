/// Where a `ChatConnection` is in its life.
///
/// Thread-safety: a value type; any thread.
public enum ConnectionStatus: Equatable {
    case idle
    case connecting(attempt: Int)
    /// TCP is up; CAP, SASL and NICK/USER are under way.
    case registering
    case registered
    /// Lost; the next attempt starts after `delayMillis`.
    case waitingToReconnect(delayMillis: Int, reason: String)
    /// For good: the user quit, log-in failed, or reconnecting is off.
    case closed(reason: String)
}
