@testable import ChatServer
import XCTest
import CoreLoop

/// A transport that keeps what the server sends, for handler tests.
final class InMemoryTransport: ClientTransport {
    private(set) var chunks: [ByteChunk] = []
    private var taken = 0
    private(set) var closeReason: String?
    private(set) var paused = false
    var pendingInput = 0
    /// What a TLS connection would report (WHOIS 671, SASL EXTERNAL).
    var isSecure = false
    var peerCertificateFingerprint: String?
    /// False stands for a WebSocket client (no STS policy).
    var takesSTSPolicy = true

    func send(_ chunk: ByteChunk) -> Bool {
        guard closeReason == nil else { return false }
        chunks.append(chunk)
        return true
    }

    func close(reason: String, afterFlush: Bool) {
        if closeReason == nil { closeReason = reason }
    }

    var queuedBytes: Int { 0 }
    var bytesIn: UInt64 { 0 }
    var bytesOut: UInt64 { UInt64(chunks.reduce(0) { $0 + $1.count }) }
    var pendingInputBytes: Int { pendingInput }
    func pauseReading() { paused = true }
    func resumeReading() { paused = false }

    /// Lines sent since the last call, without CR LF.
    func takeLines() -> [String] {
        let fresh = chunks[taken...].flatMap { $0.bytes }
        taken = chunks.count
        return String(decoding: fresh, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }
}

/// A server with a manual clock and in-memory clients.
final class TestNet {
    let clock = ManualClock()
    let server: IRCServer
    let workers = InlineOffloader()
    let writer = InlineOffloader()
    let storage: ChatStorage?

    /// - Parameter storage: an in-memory database (accounts and history on), or nil.
    init(storage: ChatStorage? = nil, _ configure: (inout ServerConfig) -> Void = { _ in }) {
        var config = ServerConfig()
        config.serverName = "test.server"
        config.operators = [.init(name: "root", password: "sesame", hostMask: "127.0.0.*")]
        configure(&config)
        self.storage = storage
        let (workers, writer) = (self.workers, self.writer)
        let services = storage.map { ServerServices(storage: $0, hashers: workers, readers: workers, writer: writer) }
        server = IRCServer(config: config, motdLines: ["hello"], clock: clock, services: services)
        server.logger.logLevel = .critical
        try! server.loadPersistentState()
    }

    /// A server with a fresh in-memory database.
    static func withStorage(_ configure: (inout ServerConfig) -> Void = { _ in }) -> TestNet {
        TestNet(storage: try! ChatStorage(), configure)
    }

    /// An unregistered connection.
    func connect(host: String = "127.0.0.1") -> TestUser {
        let transport = InMemoryTransport()
        let client = server.accept(transport, host: host)
        return TestUser(net: self, client: client, transport: transport)
    }

    /// A registered user with its welcome burst already read.
    @discardableResult
    func user(_ nick: String, caps: [String] = [], host: String = "127.0.0.1") -> TestUser {
        let u = connect(host: host)
        if !caps.isEmpty { u.send("CAP REQ :\(caps.joined(separator: " "))") }
        u.send("NICK \(nick)")
        u.send("USER \(nick.lowercased()) 0 * :\(nick) Real")
        if !caps.isEmpty { u.send("CAP END") }
        _ = u.lines()
        return u
    }
}

/// One in-memory client of a `TestNet`.
final class TestUser {
    let net: TestNet
    let client: Client?
    let transport: InMemoryTransport

    init(net: TestNet, client: Client?, transport: InMemoryTransport) {
        self.net = net
        self.client = client
        self.transport = transport
    }

    /// Feeds raw bytes; returns how many the server consumed.
    @discardableResult
    func feed(_ text: String) -> Int {
        guard let client else { return 0 }
        return Array(text.utf8).withUnsafeBytes { net.server.receive($0, from: client) }
    }

    func send(_ line: String) { feed(line + "\r\n") }

    func lines() -> [String] { transport.takeLines() }

    /// The lines since the last read, without any tags.
    /// The channels a `LIST <filter>` answers with (its 322 lines), in order.
    func listedChannels(_ filter: String) -> [String] {
        send("LIST " + filter)
        return plainLines().compactMap { line in
            let p = (try? IRCMessage(parsing: line))?.params ?? []
            return line.contains(" 322 ") ? p[1] : nil
        }
    }

    func plainLines() -> [String] {
        lines().map { $0.hasPrefix("@") ? String($0[$0.index(after: $0.firstIndex(of: " ")!)...]) : $0 }
    }

    /// Numerics (the command word) of the lines since the last read.
    func codes() -> [String] {
        plainLines().compactMap { line in (try? IRCMessage(parsing: line))?.command }
    }

    var closed: String? { transport.closeReason }

    /// Fails if the server sent anything not yet read: a test that ends with
    /// this proves no stray reply (an extra numeric, a duplicate line) slipped by.
    func assertNothingUnread(_ what: String = "", file: StaticString = #filePath, line: UInt = #line) {
        let rest = lines()
        XCTAssertEqual(rest, [], "unread output \(what)", file: file, line: line)
    }
}
