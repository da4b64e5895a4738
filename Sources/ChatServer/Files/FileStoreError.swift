/// A file-store system call failed (disk full, I/O error, permissions).
///
/// Thread-safety: a value type; any thread.
public struct FileStoreError: Error, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let errno: Int32

    public var description: String {
        "\(operation) \(path) failed: \(String(cString: strerror(errno)))"
    }
}

#if canImport(Glibc)
import Glibc
#endif
