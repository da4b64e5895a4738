#if canImport(Glibc)
import Glibc
#endif

/// Why the `scores` scenario could not run (as opposed to a run whose
/// figures show a failure: those go into the report).
///
/// Thread-safety: a value type; any thread.
enum ScoresBenchError: Error, CustomStringConvertible {
    case consoleConnect(path: String, errno: Int32)
    case consoleRefused(command: String, reply: String)
    case descriptors(needed: Int, limit: Int)

    var description: String {
        switch self {
        case .consoleConnect(let path, let code):
            return "cannot connect to the console socket \(path): \(String(cString: strerror(code)))"
        case .consoleRefused(let command, let reply):
            return "console refused \(command): \(reply)"
        case .descriptors(let needed, let limit):
            return "the run needs about \(needed) descriptors but the limit is \(limit) (raise the hard limit: ulimit -Hn)"
        }
    }
}
