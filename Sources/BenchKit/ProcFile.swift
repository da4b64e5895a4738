#if canImport(Glibc)
import Glibc
#endif

/// Reads a small file under /proc whole. Such files report a size of 0 and
/// are generated as they are read, so they are read to the end, not by size.
///
/// Thread-safety: pure functions; any thread.
enum ProcFile {
    /// The file's text, or nil if it cannot be opened (the process is gone) or read.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            text += buffer[0..<n]
        }
        return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
    }
}
