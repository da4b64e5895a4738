/// Why the database could not be opened or used.
///
/// Thread-safety: a value type; any thread.
public enum StorageError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case accountExists(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open database \(path): \(reason)"
        case .accountExists(let name): return "account \(name) already exists"
        }
    }
}
