import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Talks to chatd's console socket: one JSON request line, one reply line.
///
/// Thread-safety: one thread (a command-line program).
struct ConsoleClient {
    enum Failure: ChatctlFailure {
        case notRunning(String)
        case permissionDenied(String)
        case io(String)
        case server(String)

        var description: String {
            switch self {
            case .notRunning(let path):
                // A relative path is the usual mistake: chatctl run from another folder than chatd.
                let hint = path.hasPrefix("/") ? "" : "; run chatctl in chatd's folder, or pass --socket PATH"
                return "chatd is not running (no console socket at \(path))\(hint)"
            case .permissionDenied(let path): return "permission denied on \(path): run chatctl as the user running chatd, or as root"
            case .io(let why): return why
            case .server(let error): return error
            }
        }

        /// sysexits codes: 69 unavailable, 77 no permission, 74 I/O, 1 refused by the server.
        var exitCode: Int32 {
            switch self {
            case .notRunning: return 69
            case .permissionDenied: return 77
            case .io: return 74
            case .server: return 1
            }
        }
    }

    let path: String

    /// Sends `request` and returns the reply object (throws on `ok: false`).
    func send(_ request: [String: Any]) throws -> [String: Any] {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.io("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure.io("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if rc != 0 {
            switch errno {
            case ENOENT, ECONNREFUSED: throw Failure.notRunning(path)
            case EACCES, EPERM: throw Failure.permissionDenied(path)
            default: throw Failure.io("connect \(path): \(String(cString: strerror(errno)))")
            }
        }
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(0x0A)
        let sent = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard sent == line.count else { throw Failure.io("write: \(String(cString: strerror(errno)))") }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !reply.contains(0x0A) {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure.io(n == 0 ? "chatd closed the console connection" : "read: \(String(cString: strerror(errno)))") }
            reply.append(contentsOf: buffer[0..<n])
        }
        let object = try? JSONSerialization.jsonObject(with: reply.prefix { $0 != 0x0A })
        guard let answer = object as? [String: Any] else { throw Failure.io("unreadable reply from chatd") }
        if answer["ok"] as? Bool != true { throw Failure.server(answer["error"] as? String ?? "request failed") }
        return answer
    }
}
