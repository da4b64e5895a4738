/// Why a score request failed. Each case knows its `FAIL SCORES` code; the
/// console shows `description`.
///
/// Thread-safety: a value type; any thread.
public enum ScoreError: Error, Equatable, CustomStringConvertible {
    case noSuchMatch(Int64)
    case invalidMatchID(String)
    case matchFinished(Int64)
    case invalidEvent(String)
    case invalidSince(String)
    case notFollowing(Int64)
    case tooMany(String)
    case udpUnavailable
    case disabled
    case badToken(String)
    case unknownSubcommand(String)
    case storageFailed(String)
    /// The queue of changes waiting for the disk is full (its bound).
    case queueFull(Int)
    /// The server is shutting down: the change was refused, or its write
    /// was not confirmed before the loop stopped.
    case shuttingDown

    /// The code in `FAIL SCORES <code> …`.
    public var code: String {
        switch self {
        case .noSuchMatch, .invalidMatchID: return "NO_SUCH_MATCH"
        case .matchFinished: return "MATCH_FINISHED"
        case .invalidEvent, .invalidSince: return "INVALID_PARAMS"
        case .notFollowing: return "NOT_FOLLOWING"
        case .tooMany: return "TOO_MANY"
        case .udpUnavailable, .disabled: return "UNAVAILABLE"
        case .badToken: return "BAD_TOKEN"
        case .unknownSubcommand: return "UNKNOWN_SUBCOMMAND"
        case .storageFailed, .queueFull, .shuttingDown: return "TEMPORARILY_UNAVAILABLE"
        }
    }

    /// The parameters between the code and the text.
    public var context: [String] {
        switch self {
        case .noSuchMatch(let id), .matchFinished(let id), .notFollowing(let id): return [String(id)]
        case .invalidMatchID(let text), .invalidSince(let text), .badToken(let text), .unknownSubcommand(let text): return [text]
        case .invalidEvent, .tooMany, .udpUnavailable, .disabled, .storageFailed, .queueFull, .shuttingDown: return []
        }
    }

    public var description: String {
        switch self {
        case .noSuchMatch(let id): return "No such match: \(id)"
        case .invalidMatchID(let text): return "No such match: \(text)"
        case .matchFinished(let id): return "Match \(id) is finished"
        case .invalidEvent(let why): return "Invalid event: \(why)"
        case .invalidSince(let text): return "since= needs a whole number of 0 or more, not \(text)"
        case .notFollowing(let id): return "You are not following match \(id)"
        case .tooMany(let what): return "Too many \(what)"
        case .udpUnavailable: return "The UDP score stream is not enabled on this server"
        case .disabled: return "Scores are not enabled on this server"
        case .badToken(let token): return "Unknown UDP token \(token)"
        case .unknownSubcommand(let sub): return "Unknown SCORES subcommand \(sub) (LIST SHOW FOLLOW UNFOLLOW UDP UDPSTOP)"
        case .storageFailed(let why): return "The event could not be saved: \(why)"
        case .queueFull(let limit): return "Score changes are coming faster than they can be saved (\(limit) waiting); try again shortly"
        case .shuttingDown: return "The server is shutting down: this score change was not taken, or its save was not confirmed"
        }
    }
}
