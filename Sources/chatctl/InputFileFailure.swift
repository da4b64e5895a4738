import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file named on chatctl's command line that cannot be read.
///
/// Thread-safety: values; any thread.
struct InputFileFailure: ChatctlFailure {
    let path: String
    let reason: String

    /// Reads `path` whole, or throws why not (no such file, permission…).
    static func contents(of path: String) throws -> Data {
        if let data = FileManager.default.contents(atPath: path) { return data }
        // Foundation says only "no"; open(2) says why.
        let fd = open(path, O_RDONLY)
        let code = errno
        if fd >= 0 { close(fd) }
        throw InputFileFailure(path: path, reason: fd < 0 ? String(cString: strerror(code)) : "not a readable file")
    }

    var description: String { "cannot read \(path): \(reason)" }

    /// 66 (sysexits EX_NOINPUT): the input file does not exist or is unreadable.
    var exitCode: Int32 { 66 }
}
