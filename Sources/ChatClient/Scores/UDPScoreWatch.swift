import ChatServer
import CoreLoop
import ScoreFeed

/// Follows one match over chatd's UDP score stream (issue #12): asks for a
/// token over the chat connection (`SCORES UDP <id>` → `SCORES UDPTOKEN`),
/// presents it from a UDP socket on the same loop to the server's score port,
/// re-sends it every `renewSeconds` (the server lets a token lapse after
/// `udpLeaseSeconds`, 30 s by default), and hands each first arrival of an
/// event to `onEvent`. `ScoreSubscriber` counts what the stream delivered:
/// received, lost, duplicated, out of order. `stop()` gives the token back
/// (`SCORES UDPSTOP`) and closes the socket.
///
/// The datagrams come to the address the token came from, so the socket is
/// bound to an ephemeral port of the connection's address family, and the
/// destination is the chat server's host with the token's port.
///
/// Thread-safety: loop thread only (its socket and timer are the loop's).
public final class UDPScoreWatch {
    public enum State: Equatable { case waitingToken, subscribed, stopped, failed(ClientFailure) }

    public let matchID: String
    public private(set) var state = State.waitingToken
    /// A new event: the ChatClient form (for windows and the status line) and
    /// the one-line form people read, `67' GOAL Home FC — N. Name (2–1)`.
    public var onEvent: (ScoreEvent, String) -> Void = { _, _ in }
    public var onStateChange: (State) -> Void = { _ in }
    /// Seconds between renewals; well inside the server's lease.
    public var renewSeconds: UInt64 = 10
    public private(set) var token: String?
    /// Where the token goes (the server's score port), once known.
    public private(set) var destination: SocketAddress?
    /// Present the token here instead of the chat server's host and the
    /// token's port: a UDP relay in between (tests put a lossy one there).
    /// Set before the token arrives.
    public var relay: SocketAddress?

    private let loop: EventLoop
    private let serverHost: String
    private let send: (IRCMessage) -> Bool
    private var subscriber: ScoreSubscriber
    private var socket: UDPSocket?
    private var renewal: TimerHandle?

    /// nil if `matchID` is not a match id (a positive whole number).
    /// `server` is the chat server as `HOST:PORT` (the UDP port comes with the token).
    public init?(loop: EventLoop, matchID: String, server: String, send: @escaping (IRCMessage) -> Bool) {
        guard let id = Int64(matchID), id > 0, let colon = server.lastIndex(of: ":") else { return nil }
        self.loop = loop
        self.matchID = matchID
        self.serverHost = String(server[..<colon])
        self.send = send
        subscriber = ScoreSubscriber(match: id)
    }

    public var request: IRCMessage { IRCMessage(command: "SCORES", params: ["UDP", matchID]) }

    /// Asks for the token.
    public func start() { _ = send(request) }

    /// `received=… lost=… duplicated=… out-of-order=… first=… last=…`
    public var summary: String { subscriber.statistics.summary }
    public var received: Int { subscriber.statistics.received }
    public var lost: Int { subscriber.statistics.lost }
    public var duplicated: Int { subscriber.statistics.duplicated }
    public var outOfOrder: Int { subscriber.statistics.outOfOrder }
    /// Datagrams that were not score events of this match (noise, another match).
    public var ignored: Int { subscriber.undecodable + subscriber.otherMatches }

    /// Feeds a SCORES line; true if it was this watch's (its token or its failure).
    @discardableResult
    public func receive(_ line: ScoreLine) -> Bool {
        guard state == .waitingToken else { return false }
        switch line {
        case .udpToken(let id, let token, let port) where id == matchID:
            subscribe(token: token, port: port)
        case .fail(let code, let context, let text) where context == nil || context == matchID:
            fail(code == "NO_SUCH_MATCH" ? .notFound(text) : .refused("\(code): \(text)"))
        default:
            return false
        }
        return true
    }

    private func subscribe(token: String, port: Int) {
        guard UDPToken.isWellFormed(token) else { return fail(.refused("the server sent a malformed token")) }
        do {
            let destination = try relay ?? SocketAddress(host: serverHost, port: port)
            var any = "0.0.0.0:0"
            if case .v6 = destination { any = "[::]:0" }
            self.destination = destination
            socket = try UDPSocket(loop: loop, bindTo: try SocketAddress(parsing: any)) { [weak self] bytes, sender in
                // Only the server's score port may feed the statistics.
                guard let self, sender == self.destination else { return }
                self.datagram(bytes)
            }
            self.token = token
        } catch {
            return fail(.cannotConnect("UDP score stream at \(serverHost):\(port): \(error)"))
        }
        state = .subscribed
        onStateChange(state)
        presentToken()
        renewal = loop.scheduleRepeating(every: .seconds(renewSeconds)) { [weak self] in self?.presentToken() }
    }

    private func presentToken() {
        guard let socket, let token, let destination else { return }
        _ = try? socket.send(Array(token.utf8), to: destination)
    }

    private func datagram(_ bytes: UnsafeRawBufferPointer) {
        guard state == .subscribed, let line = subscriber.receive(bytes),
              let datagram = try? ScoreDatagram(decoding: bytes) else { return }
        let event = ScoreEvent(matchID: String(datagram.match), seq: Int(datagram.seq), type: datagram.type,
                               minute: datagram.minute, homeGoals: datagram.home, awayGoals: datagram.away,
                               sentence: datagram.text)
        onEvent(event, line)
    }

    /// Gives the token back and closes the socket; the statistics stay readable.
    public func stop() {
        guard state == .subscribed || state == .waitingToken else { return }
        if let token { _ = send(IRCMessage(command: "SCORES", params: ["UDPSTOP", token])) }
        close()
        state = .stopped
        onStateChange(state)
    }

    /// The chat connection closed: the server has already dropped the token.
    public func connectionLost() {
        guard state == .subscribed || state == .waitingToken else { return }
        close()
        state = .failed(.disconnected("the chat connection closed; its UDP token died with it"))
        onStateChange(state)
    }

    private func fail(_ failure: ClientFailure) {
        close()
        state = .failed(failure)
        onStateChange(state)
    }

    private func close() {
        if let renewal { _ = loop.cancel(renewal) }
        renewal = nil
        socket?.close()
        socket = nil
    }
}
