import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class SocketTests: XCTestCase {
    func testListenerKeepsServingAfterTheDescriptorLimitWasHit() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let server = try thread.sync { try EchoServer(loop: thread.loop) }

        var original = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &original)
        let highest = (try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).compactMap { Int32($0) }.max() ?? 64
        var lowered = original
        lowered.rlim_cur = rlim_t(highest + 32)
        XCTAssertEqual(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &lowered), 0)
        var fillers: [Int32] = []
        defer {
            fillers.forEach { close($0) }
            var restore = original
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restore)
        }
        while true {
            let fd = open("/dev/null", O_RDONLY)
            if fd < 0 { break }
            fillers.append(fd)
        }
        // One free descriptor: the client gets it, the server's accept cannot.
        close(fillers.removeLast())
        let starved = try TestClient(port: server.port)
        XCTAssertEqual(try starved.readToEnd(), [], "the server accepts and closes instead of leaving us hanging")
        try waitUntil(thread, "drop counted") { server.listener.droppedForDescriptorLimit >= 1 }

        fillers.forEach { close($0) }
        fillers = []
        let served = try TestClient(port: server.port)
        try served.send("back\n")
        XCTAssertEqual(try served.readExactly(5), Array("back\n".utf8))
    }

    func testUnixListenerIsPrivateReplacesStaleFileAndRefusesLiveOne() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let path = NSTemporaryDirectory() + "coreloop-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        defer { unlink(path) }

        // A dead server's leftover: a socket file nobody listens on.
        let dead = try ListeningSocket.unix(path: path, backlog: 1)
        close(dead)
        XCTAssertEqual(access(path, F_OK), 0)

        var accepted = 0
        let listener = try thread.sync {
            try StreamListener.unix(loop: thread.loop, path: path) { connection in
                accepted += 1
                connection.close(reason: .local("test"))
            }
        }
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)

        XCTAssertThrowsError(try thread.sync { try StreamListener.unix(loop: thread.loop, path: path) { _ in } }) { error in
            XCTAssertEqual((error as? IOError)?.errnoCode, EADDRINUSE)
        }

        let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        XCTAssertEqual(SocketAddress.unix(path: path).withSockAddr { connect(client, $0, $1) }, 0)
        // The refused second listener probed the live one with a connection too.
        try waitUntil(thread, "unix accept") { accepted == 2 }
        try thread.sync { listener.close() }
        XCTAssertNotEqual(access(path, F_OK), 0, "closing removes the socket file")
    }

    func testUnixConnectionReportsPeerCredentials() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let path = NSTemporaryDirectory() + "coreloop-cred-\(getpid()).sock"
        defer { unlink(path) }
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32)?
        let listener = try thread.sync {
            try StreamListener.unix(loop: thread.loop, path: path) { connection in
                credentials = try? connection.peerCredentials()
                connection.close(reason: .local("test"))
            }
        }
        defer { try? thread.sync { listener.close() } }
        let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        XCTAssertEqual(SocketAddress.unix(path: path).withSockAddr { connect(client, $0, $1) }, 0)
        try waitUntil(thread, "credentials") { credentials != nil }
        XCTAssertEqual(credentials?.uid, getuid())
        XCTAssertEqual(credentials?.pid, getpid())
    }

    func testUDPSocketsExchangeDatagramsWithSenderAddress() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        var received: [(String, SocketAddress)] = []
        let (a, b) = try thread.sync { () -> (UDPSocket, UDPSocket) in
            let any = try SocketAddress(host: "127.0.0.1", port: 0)
            let a = try UDPSocket(loop: thread.loop, bindTo: any) { _, _ in }
            let b = try UDPSocket(loop: thread.loop, bindTo: any) { bytes, from in
                received.append((String(decoding: bytes, as: UTF8.self), from))
            }
            return (a, b)
        }
        try thread.sync {
            try a.send(Array("one".utf8), to: b.address)
            try a.send(Array("two".utf8), to: b.address)
        }
        try waitUntil(thread, "datagrams") { received.count == 2 }
        XCTAssertEqual(received.map { $0.0 }, ["one", "two"])
        XCTAssertEqual(received[0].1.port, a.address.port)
    }

    func testADatagramLongerThanTheLimitIsDroppedNotCutShort() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        var received: [String] = []
        let (a, b) = try thread.sync { () -> (UDPSocket, UDPSocket) in
            let any = try SocketAddress(host: "127.0.0.1", port: 0)
            let a = try UDPSocket(loop: thread.loop, bindTo: any) { _, _ in }
            let b = try UDPSocket(loop: thread.loop, bindTo: any) { bytes, _ in
                received.append(String(decoding: bytes, as: UTF8.self))
            }
            b.maxDatagramSize = 8
            return (a, b)
        }
        try thread.sync {
            try a.send(Array("12345678".utf8), to: b.address)
            try a.send(Array("123456789 and more".utf8), to: b.address)
            try a.send(Array("last".utf8), to: b.address)
        }
        try waitUntil(thread, "datagrams") { received.count == 2 }
        XCTAssertEqual(received, ["12345678", "last"], "the long one is not handed on as its first 8 bytes")
        XCTAssertEqual(try thread.sync { b.datagramsTruncated }, 1)
    }

    func testAddressParsing() throws {
        XCTAssertEqual(try SocketAddress(parsing: "127.0.0.1:6667").description, "127.0.0.1:6667")
        XCTAssertEqual(try SocketAddress(parsing: "[::1]:6697").description, "[::1]:6697")
        XCTAssertThrowsError(try SocketAddress(parsing: "example.org:6667"))
        XCTAssertThrowsError(try SocketAddress(parsing: "127.0.0.1"))
        XCTAssertThrowsError(try SocketAddress(parsing: "127.0.0.1:70000"))
    }

    /// `host` formats IPv4 itself (no `inet_ntop`): the same text for edge octets.
    func testIPv4HostIsWhatInetNtopWrites() throws {
        for text in ["0.0.0.0", "255.255.255.255", "127.0.0.1", "10.0.100.9", "192.168.1.10", "1.22.203.40"] {
            let address = try SocketAddress(host: text, port: 1)
            guard case .v4(var raw) = address else { return XCTFail("not IPv4: \(text)") }
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &raw.sin_addr, &buffer, socklen_t(buffer.count))
            XCTAssertEqual(address.host, String(cString: buffer))
            XCTAssertEqual(address.host, text)
        }
    }

    func testTCPListenerServesIPv6() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        var accepted: SocketAddress?
        _ = try thread.sync {
            try StreamListener.tcp(loop: thread.loop, address: try SocketAddress(host: "::1", port: 0)) { connection in
                accepted = connection.peer
                connection.close(reason: .local("test"))
            }
        }
        .address.port.map { port in
            let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            _ = try? SocketAddress(host: "::1", port: port).withSockAddr { connect(fd, $0, $1) }
        }
        try waitUntil(thread, "ipv6 accept") { accepted != nil }
        XCTAssertEqual(accepted?.host, "::1")
    }
}

extension SocketTests {
    func testConnectorOpensAConnectionWithoutBlockingAndReportsRefusal() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let server = try thread.sync { try EchoServer(loop: thread.loop) }
        final class Reader: StreamConnectionDelegate {
            var received: [UInt8] = []
            func connection(_ c: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int { received += bytes; return bytes.count }
            func connectionDidClose(_ c: StreamConnection, reason: CloseReason) {}
        }
        let reader = Reader()
        var refused: IOError?
        try thread.sync {
            TCPConnector.connect(loop: thread.loop, to: try SocketAddress(host: "127.0.0.1", port: server.port)) { result in
                guard case .success(let connection) = result else { return }
                connection.own(delegate: reader)
                try? connection.start()
                connection.write(ByteChunk("ping"))
            }
            // A port nobody listens on: the listener's port after closing it.
            let probe = try StreamListener.tcp(loop: thread.loop, address: try SocketAddress(host: "127.0.0.1", port: 0)) { _ in }
            let deadPort = probe.address.port!
            probe.close()
            TCPConnector.connect(loop: thread.loop, to: try SocketAddress(host: "127.0.0.1", port: deadPort)) { result in
                if case .failure(let error) = result { refused = error }
            }
        }
        try waitUntil(thread, "echo") { reader.received == Array("ping".utf8) }
        try waitUntil(thread, "refusal") { refused != nil }
        XCTAssertEqual(refused?.errnoCode, ECONNREFUSED)
    }
}

/// How many descriptors this process has open.
func openDescriptorCount() throws -> Int {
    try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
}

extension SocketTests {
    /// A descriptor closed twice traps in `closeDescriptor` (EBADF), so this
    /// fails by crashing if an init closes in its catch and again in deinit.
    func testListenerAndUDPSocketWhoseRegistrationFailsCloseTheirDescriptorsOnce() throws {
        let selector = try RefusingSelector()
        let loop = try EventLoop(selector: selector)
        selector.refuseRegistrations = true
        let any = try SocketAddress(host: "127.0.0.1", port: 0)
        let before = try openDescriptorCount()
        XCTAssertThrowsError(try StreamListener.tcp(loop: loop, address: any) { _ in }) { error in
            XCTAssertEqual((error as? IOError)?.errnoCode, ENOSPC)
        }
        XCTAssertThrowsError(try UDPSocket(loop: loop, bindTo: any) { _, _ in }) { error in
            XCTAssertEqual((error as? IOError)?.errnoCode, ENOSPC)
        }
        XCTAssertEqual(try openDescriptorCount(), before, "no descriptor left open")
    }
}

extension SocketTests {
    /// `own(delegate:)` keeps a delegate nothing else holds until the close;
    /// a delegate set with `delegate =` is weak and goes with its owner.
    func testAnOwnedDelegateLivesUntilTheCloseAndAPlainOneIsWeak() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let server = try thread.sync { try EchoServer(loop: thread.loop) }
        final class Reader: StreamConnectionDelegate {
            var received = 0
            func connection(_ c: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int { received += bytes.count; return bytes.count }
            func connectionDidClose(_ c: StreamConnection, reason: CloseReason) {}
        }
        weak var owned: Reader?
        weak var plain: Reader?
        var connections: [StreamConnection] = []
        try thread.sync {
            for own in [true, false] {
                TCPConnector.connect(loop: thread.loop, to: try SocketAddress(host: "127.0.0.1", port: server.port)) { result in
                    guard case .success(let connection) = result else { return }
                    let reader = Reader()
                    if own { connection.own(delegate: reader); owned = reader } else { connection.delegate = reader; plain = reader }
                    try? connection.start()
                    connection.write(ByteChunk("ping"))
                    connections.append(connection)
                }
            }
        }
        try waitUntil(thread, "both connected") { connections.count == 2 }
        try waitUntil(thread, "the owned delegate reads the echo") { (owned?.received ?? 0) == 4 }
        try thread.sync {
            XCTAssertNil(plain, "nothing held the plain delegate")
            XCTAssertTrue(connections.allSatisfy { $0.isOpen })
            connections.forEach { $0.close(reason: .local("test")) }
        }
        try waitUntil(thread, "the owned delegate let go at the close") { owned == nil }
    }
}
