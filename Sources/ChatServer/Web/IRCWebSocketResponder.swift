import CoreLoop
import HTTPCore

/// `GET /irc` (and `GET /` with `Upgrade: websocket`): the IRCv3 WebSocket
/// handshake, then the connection becomes an ordinary chatd client through
/// `WebSocketClientTransport`, admitted by `IRCServer.accept` under the same
/// connection limits (total, per address, bans) as TCP clients.
///
/// Thread-safety: loop thread only.
final class IRCWebSocketResponder: HTTPResponder {
    static let subprotocols = ["binary.ircv3.net", "text.ircv3.net"]

    unowned let server: IRCServer
    let origins: () -> OriginPolicy
    let onUpgrade: () -> Void
    /// One framing per broadcast for all of this listener's WebSocket clients.
    let frameCache = WebSocketFrameCache()

    init(server: IRCServer, origins: @escaping () -> OriginPolicy, onUpgrade: @escaping () -> Void = {}) {
        self.server = server
        self.origins = origins
        self.onUpgrade = onUpgrade
    }

    func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int { 0 }

    /// The largest message a client may send in one frame: a whole IRC line with tags.
    var maxMessage: Int { server.config.limits.maxLineLength + server.config.limits.maxTagsLength }

    /// A handshake is a GET (RFC 6455 §4.1); HEAD has no protocol to switch to.
    func allowedMethods(for head: HTTPRequestHead) -> [String]? { ["GET"] }

    func respond(to request: HTTPRequest, via exchange: HTTPExchange) {
        let secure = exchange.connection?.tls != nil
        guard origins().permits(request.head, secure: secure) else {
            return exchange.respond(.text(.forbidden, "Origin \(request.headers["Origin"] ?? "") may not connect (http.allowedOrigins)"))
        }
        switch WebSocketHandshake.check(request.head, supported: Self.subprotocols) {
        case .failure(let refusal):
            exchange.respond(refusal.response)
        case .success(let (key, subprotocol)):
            guard let connection = exchange.connection else { return }
            let transport = WebSocketClientTransport(connection: connection, server: server,
                                                     binary: subprotocol == "binary.ircv3.net", maxMessage: maxMessage,
                                                     frameCache: frameCache)
            exchange.upgrade(headers: WebSocketHandshake.responseHeaders(key: key, subprotocol: subprotocol), to: transport)
            // Not upgraded (the exchange had answered already): no client, so
            // no cycle between it and a transport that will never hear a close.
            guard connection.delegate === transport else { return }
            onUpgrade()
            // Admitted after the 101, so a refusal (server full, banned) reaches the client as IRC ERROR and a close frame.
            transport.client = server.accept(transport, host: connection.peer?.host ?? "unknown")
        }
    }
}
