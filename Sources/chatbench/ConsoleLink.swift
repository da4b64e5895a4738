import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One connection to chatd's admin console (its Unix socket) on the
/// generator's loop: a JSON line out, one JSON line back. The console answers
/// one request at a time per connection, in order, so the score scenario
/// opens several to keep more than one event on its way to the disk.
///
/// Thread-safety: loop thread only.
final class ConsoleLink: StreamConnectionDelegate {
    private var connection: StreamConnection?
    /// Reply handlers, oldest first (replies come in request order).
    private var waiting: [([String: Any]) -> Void] = []
    var onClose: (CloseReason) -> Void = { _ in }

    /// Whether a request is waiting for its reply.
    var busy: Bool { !waiting.isEmpty }
    var isOpen: Bool { connection?.isOpen ?? false }

    /// Connects (a local socket connects at once) and starts reading.
    init(path: String, loop: EventLoop) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ScoresBenchError.consoleConnect(path: path, errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(fd)
            throw ScoresBenchError.consoleConnect(path: path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ScoresBenchError.consoleConnect(path: path, errno: code)
        }
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 0
        limits.maxInboundBytes = 1 << 20
        let connection = StreamConnection(fd: fd, loop: loop, peer: nil, limits: limits)
        self.connection = connection
        connection.delegate = self
        try connection.start()
    }

    /// Sends `request`; `reply` gets the answer object (`ok` true or false).
    func send(_ request: [String: Any], reply: @escaping ([String: Any]) -> Void) {
        guard let connection, var line = try? JSONSerialization.data(withJSONObject: request) else { return }
        line.append(0x0A)
        waiting.append(reply)
        line.withUnsafeBytes { _ = connection.write(copying: $0) }
    }

    func close() { connection?.close(reason: .local("bench done")) }

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        var consumed = 0
        while let lf = bytes[consumed...].firstIndex(of: 0x0A) {
            let line = Data(bytes[consumed..<lf])
            consumed = lf + 1
            let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
                ?? ["ok": false, "error": "unreadable reply"]
            guard !waiting.isEmpty else { continue }
            waiting.removeFirst()(object)
        }
        return consumed
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        self.connection = nil
        onClose(reason)
    }
}
