#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which function failed and the `errno` it left.
///
/// Thread-safety: a value type; any thread.
public struct IOError: Error, CustomStringConvertible, Equatable {
    /// The `errno` value the call reported.
    public let errnoCode: Int32
    /// The name of the failing function, e.g. `"accept4"`.
    public let function: String

    public init(errnoCode: Int32, function: String) {
        self.errnoCode = errnoCode
        self.function = function
    }

    public var description: String {
        "\(function) failed: \(String(cString: strerror(errnoCode))) (errno \(errnoCode))"
    }
}
