/// Why a connection or an operation failed, with the exit code a script gets.
///
/// Thread-safety: a value type; any thread.
public enum ClientFailure: Error, Equatable, CustomStringConvertible {
    /// TCP connect failed (refused, unreachable) or the address is bad.
    case cannotConnect(String)
    /// SASL said no, the server offers no SASL, or the account needs a password.
    case loginFailed(String)
    /// A nick, channel, file or match the server does not know.
    case notFound(String)
    /// The server answered with an error (a FAIL or an error numeric).
    case refused(String)
    /// The connection closed before the operation finished.
    case disconnected(String)
    /// No answer within the time allowed.
    case timedOut(String)
    /// A local file could not be read or written.
    case localIO(String)
    /// A transfer arrived with the wrong size or hash.
    case corrupt(String)
    /// The command line was wrong.
    case usage(String)

    /// The process exit code for scripts (README table; sysexits where one fits).
    public var exitCode: Int32 {
        switch self {
        case .refused: return 1
        case .notFound: return 2
        case .corrupt: return 3
        case .usage: return 64
        case .cannotConnect: return 69
        case .localIO: return 74
        case .timedOut, .disconnected: return 75
        case .loginFailed: return 77
        }
    }

    public var description: String {
        switch self {
        case .cannotConnect(let s): return "cannot connect: \(s)"
        case .loginFailed(let s): return "log-in failed: \(s)"
        case .notFound(let s): return "not found: \(s)"
        case .refused(let s): return "refused: \(s)"
        case .disconnected(let s): return "disconnected: \(s)"
        case .timedOut(let s): return "timed out: \(s)"
        case .localIO(let s): return s
        case .corrupt(let s): return "corrupt transfer: \(s)"
        case .usage(let s): return s
        }
    }
}
