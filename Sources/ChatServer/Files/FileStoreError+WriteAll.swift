#if canImport(Glibc)
import Glibc
#endif

extension FileStoreError {
    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR; any
    /// other failure is a `FileStoreError` naming `path`. Blocking: for
    /// workers only (the store and the HTTP upload spool share it).
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if Glibc.errno == EINTR { continue }
                    throw FileStoreError(operation: "write", path: path, errno: Glibc.errno)
                }
                offset += n
            }
        }
    }
}
