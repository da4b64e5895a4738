/// Why a score datagram could not be decoded.
///
/// Thread-safety: a value type; any thread.
public enum ScoreDatagramError: Error, Equatable, CustomStringConvertible {
    case tooLarge(Int)
    case notJSON
    case notAnObject
    case missing(String)
    case badValue(String)

    public var description: String {
        switch self {
        case .tooLarge(let n): return "datagram of \(n) bytes is over \(ScoreDatagram.maxBytes)"
        case .notJSON: return "not JSON"
        case .notAnObject: return "not a JSON object"
        case .missing(let key): return "missing \(key)"
        case .badValue(let key): return "bad value for \(key)"
        }
    }
}
