/// Why a log-in did not succeed.
///
/// Thread-safety: a value; any thread.
enum LoginFailure: Error, Equatable {
    case badCredentials
    case throttled(seconds: Int)
    case unavailable

    var text: String {
        switch self {
        case .badCredentials: return "SASL authentication failed"
        case .throttled(let s): return "Too many failed log-ins; try again in \(s) seconds"
        case .unavailable: return "Accounts are unavailable right now"
        }
    }
}
