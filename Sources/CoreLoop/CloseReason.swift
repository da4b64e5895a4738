/// Why a connection closed; handed to the delegate exactly once.
///
/// Thread-safety: a value type; any thread.
public enum CloseReason: Equatable, CustomStringConvertible {
    /// The peer closed its side and everything queued was flushed (or dropped).
    case peerClosed
    /// The peer reset the connection (ECONNRESET, EPIPE).
    case reset
    /// The outbound queue passed its hard limit: the peer does not read.
    case sendQueueExceeded
    /// The peer sent more unconsumed input than the inbound limit allows.
    case inboundOverflow
    /// A graceful close could not flush its queue in time.
    case flushTimeout
    /// Closed by this side, with the reason given.
    case local(String)
    /// A socket error.
    case error(IOError)

    public var description: String {
        switch self {
        case .peerClosed: return "Connection closed"
        case .reset: return "Connection reset by peer"
        case .sendQueueExceeded: return "SendQ exceeded"
        case .inboundOverflow: return "RecvQ exceeded"
        case .flushTimeout: return "Flush timed out"
        case .local(let why): return why
        case .error(let e): return e.description
        }
    }
}
