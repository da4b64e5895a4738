/// Why a console request failed; the text goes back as `{"ok":false,"error":…}`.
///
/// Thread-safety: a value type; any thread.
public enum ConsoleError: Error, Equatable, CustomStringConvertible {
    case malformedJSON
    case notAnObject
    case unknownCommand(String)
    case missingArgument(String)
    case wrongType(String, expected: String)
    case invalidArgument(String, reason: String)
    case noSuchNick(String)
    case noSuchChannel(String)
    case notOnChannel(nick: String, channel: String)
    case failed(String)

    public var description: String {
        switch self {
        case .malformedJSON: return "malformed JSON"
        case .notAnObject: return "a request must be a JSON object"
        case .unknownCommand(let c): return "unknown command: \(c)"
        case .missingArgument(let a): return "missing argument: \(a)"
        case .wrongType(let a, let expected): return "argument \(a) must be \(expected)"
        case .invalidArgument(let a, let reason): return "argument \(a): \(reason)"
        case .noSuchNick(let n): return "no such nick: \(n)"
        case .noSuchChannel(let c): return "no such channel: \(c)"
        case .notOnChannel(let n, let c): return "\(n) is not on \(c)"
        case .failed(let why): return why
        }
    }
}
