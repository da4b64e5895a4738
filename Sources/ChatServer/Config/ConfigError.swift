/// Why a configuration cannot be used. Every case names the key and its place.
///
/// Thread-safety: a value type; any thread.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformedJSON(file: String, reason: String)
    case unknownKey(file: String, key: String)
    case wrongType(file: String, key: String, expected: String)
    case invalidValue(file: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .malformedJSON(let file, let reason): return "\(file): not valid JSON: \(reason)"
        case .unknownKey(let file, let key): return "\(file): unknown key '\(key)'"
        case .wrongType(let file, let key, let expected): return "\(file): '\(key)' must be \(expected)"
        case .invalidValue(let file, let key, let reason): return "\(file): '\(key)': \(reason)"
        }
    }
}
