import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Creates bound, listening, nonblocking sockets.
///
/// Thread-safety: any thread (setup code).
public enum ListeningSocket {
    /// A TCP socket listening on `address` (IPv4 or IPv6) with SO_REUSEADDR
    /// and TCP_NODELAY (inherited by the accepted sockets).
    /// IPv6 sockets are IPv6-only so that `[::]` and `0.0.0.0` can coexist.
    public static func tcp(_ address: SocketAddress, backlog: Int32) throws -> Int32 {
        let fd = try syscallChecked("socket") { cepoll_socket(address.family, cepoll_sock_stream()) }
        do {
            var one: Int32 = 1
            try syscallChecked("setsockopt(SO_REUSEADDR)") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            // Set once here: Linux copies TCP_NODELAY from the listener to
            // every socket it accepts, which saves a `setsockopt` per connection.
            try syscallChecked("setsockopt(TCP_NODELAY)") {
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            if address.family == AF_INET6 {
                try syscallChecked("setsockopt(IPV6_V6ONLY)") {
                    setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            _ = try address.withSockAddr { sa, len in try syscallChecked("bind") { bind(fd, sa, len) } }
            try syscallChecked("listen") { listen(fd, backlog) }
            return fd
        } catch {
            closeDescriptor(fd)
            throw error
        }
    }

    /// A Unix-domain stream socket at `path`, mode 0600. A socket file left by
    /// a dead server is replaced; one a live server answers on is not, and
    /// neither is a file that is not a socket.
    public static func unix(path: String, backlog: Int32) throws -> Int32 {
        guard path.utf8.count < 108 else { throw SocketAddressError.pathTooLong(path) }
        try removeStaleSocket(at: path)
        let fd = try syscallChecked("socket") { cepoll_socket(AF_UNIX, cepoll_sock_stream()) }
        do {
            // The umask decides the mode bind gives the file; chmod after bind
            // alone would leave a moment where others could connect.
            let oldMask = umask(0o177)
            defer { umask(oldMask) }
            _ = try SocketAddress.unix(path: path).withSockAddr { sa, len in
                try syscallChecked("bind") { bind(fd, sa, len) }
            }
            try syscallChecked("chmod") { chmod(path, 0o600) }
            try syscallChecked("listen") { listen(fd, backlog) }
            return fd
        } catch {
            closeDescriptor(fd)
            throw error
        }
    }

    private static func removeStaleSocket(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }  // nothing there
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw IOError(errnoCode: EEXIST, function: "bind(\(path): exists and is not a socket)")
        }
        let probe = try syscallChecked("socket") { cepoll_socket(AF_UNIX, cepoll_sock_stream()) }
        defer { closeDescriptor(probe) }
        let result = SocketAddress.unix(path: path).withSockAddr { sa, len in connect(probe, sa, len) }
        let code = errno
        if result == 0 || code == EAGAIN || code == EINPROGRESS {
            throw IOError(errnoCode: EADDRINUSE, function: "bind(\(path): a live server answers there)")
        }
        if code == ECONNREFUSED || code == ENOENT {
            unlink(path)
        }
    }

    /// The address a socket is bound to (resolves port 0).
    public static func localAddress(of fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return ok == 0 ? SocketAddress(storage: storage) : nil
    }
}
