import HTTPCore

/// `GET /` is the page, unless it asks for a WebSocket (the IRCv3 spec allows `/`).
///
/// Thread-safety: loop thread only.
final class PageOrSocketResponder: HTTPResponder {
    let page: HTTPResponder, socket: HTTPResponder

    init(page: HTTPResponder, socket: HTTPResponder) {
        self.page = page
        self.socket = socket
    }

    func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int { 0 }

    func allowedMethods(for head: HTTPRequestHead) -> [String]? { ["GET", "HEAD"] }

    func respond(to request: HTTPRequest, via exchange: HTTPExchange) {
        (WebSocketHandshake.isUpgradeRequest(request.head) ? socket : page).respond(to: request, via: exchange)
    }
}
