import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4, IPv6 or Unix-domain socket address.
///
/// Thread-safety: a value type; any thread.
public enum SocketAddress: CustomStringConvertible, Hashable {
    case v4(sockaddr_in)
    case v6(sockaddr_in6)
    case unix(path: String)

    /// Parses a numeric `host:port`, `[v6]:port` or `v6` address; no DNS.
    public init(host: String, port: Int) throws {
        guard (0...65535).contains(port) else { throw SocketAddressError.invalidPort(port) }
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            self = .v4(v4)
            return
        }
        var v6 = sockaddr_in6()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if inet_pton(AF_INET6, bare, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            self = .v6(v6)
            return
        }
        if host == "localhost" {
            self = try SocketAddress(host: "127.0.0.1", port: port)
            return
        }
        throw SocketAddressError.invalidHost(host)
    }

    /// Parses `HOST:PORT` (IPv6 hosts in brackets: `[::1]:6667`).
    public init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":") else { throw SocketAddressError.missingPort(text) }
        let host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]) else { throw SocketAddressError.missingPort(text) }
        try self.init(host: host, port: port)
    }

    /// Reads a `sockaddr_storage` filled by accept/recvfrom/getsockname.
    public init?(storage: sockaddr_storage) {
        var copy = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            self = withUnsafeBytes(of: &copy) { .v4($0.load(as: sockaddr_in.self)) }
        case AF_INET6:
            self = withUnsafeBytes(of: &copy) { .v6($0.load(as: sockaddr_in6.self)) }
        case AF_UNIX:
            let path = withUnsafeBytes(of: &copy) { raw -> String in
                let un = raw.load(as: sockaddr_un.self)
                return withUnsafeBytes(of: un.sun_path) { p in
                    String(decoding: p.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
            }
            self = .unix(path: path)
        default:
            return nil
        }
    }

    public var family: Int32 {
        switch self {
        case .v4: return AF_INET
        case .v6: return AF_INET6
        case .unix: return AF_UNIX
        }
    }

    public var port: Int? {
        switch self {
        case .v4(let a): return Int(UInt16(bigEndian: a.sin_port))
        case .v6(let a): return Int(UInt16(bigEndian: a.sin6_port))
        case .unix: return nil
        }
    }

    /// The numeric host ("127.0.0.1", "::1"), or the path of a Unix address.
    public var host: String {
        switch self {
        case .v4(let a):
            return Self.dottedQuad(UInt32(bigEndian: a.sin_addr.s_addr))
        case .v6(var a):
            var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &a.sin6_addr, &buf, socklen_t(buf.count))
            return String(cString: buf)
        case .unix(let path):
            return path
        }
    }

    /// `a.b.c.d` written straight into the String (at most 15 bytes, so it
    /// is stored inline): every accepted connection asks for its host, and
    /// `inet_ntop` through two arrays was ~2,800 instructions of a churn cycle.
    static func dottedQuad(_ address: UInt32) -> String {
        String(unsafeUninitializedCapacity: 15) { out in
            var count = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                let octet = Int((address >> UInt32(shift)) & 0xFF)
                if octet >= 100 { out[count] = UInt8(48 + octet / 100); count += 1 }
                if octet >= 10 { out[count] = UInt8(48 + octet / 10 % 10); count += 1 }
                out[count] = UInt8(48 + octet % 10); count += 1
                if shift > 0 { out[count] = UInt8(ascii: "."); count += 1 }
            }
            return count
        }
    }

    public var description: String {
        switch self {
        case .v4: return "\(host):\(port ?? 0)"
        case .v6: return "[\(host)]:\(port ?? 0)"
        case .unix(let path): return path
        }
    }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    /// - Warning: the pointer is valid only during the call (it points at a
    ///   temporary copy); do not keep it.
    public func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        switch self {
        case .v4(var a):
            return try withUnsafePointer(to: &a) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(var a):
            return try withUnsafePointer(to: &a) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        case .unix(let path):
            var un = sockaddr_un()
            un.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &un.sun_path) { dst in
                let n = min(bytes.count, dst.count - 1)
                dst.copyBytes(from: bytes[0..<n])
                dst[n] = 0
            }
            return try withUnsafePointer(to: &un) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
    }

    public static func == (a: SocketAddress, b: SocketAddress) -> Bool { a.description == b.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

/// Why a textual address could not be used.
public enum SocketAddressError: Error, CustomStringConvertible, Equatable {
    case invalidHost(String)
    case invalidPort(Int)
    case missingPort(String)
    case pathTooLong(String)

    public var description: String {
        switch self {
        case .invalidHost(let h): return "not a numeric IPv4 or IPv6 address: \(h)"
        case .invalidPort(let p): return "port out of range 0-65535: \(p)"
        case .missingPort(let t): return "expected HOST:PORT, got \(t)"
        case .pathTooLong(let p): return "Unix socket path too long (max 107 bytes): \(p)"
        }
    }
}
