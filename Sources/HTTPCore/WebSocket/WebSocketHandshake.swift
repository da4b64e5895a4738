/// The server side of the opening handshake (RFC 6455 §4.2): checks the
/// upgrade request and builds the `101` headers.
///
/// Thread-safety: stateless; any thread.
public enum WebSocketHandshake {
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept` for a client's key.
    public static func acceptValue(forKey key: String) -> String {
        WebSocketBase64.encode(SHA1.digest(Array((key + guid).utf8)))
    }

    /// Whether the request asks for a WebSocket at all (so a plain GET of the
    /// same path can be served as a page instead).
    public static func isUpgradeRequest(_ head: HTTPRequestHead) -> Bool {
        head.headers.contains("Upgrade", token: "websocket")
    }

    /// The checked upgrade: the key, and the subprotocol picked from the
    /// client's list in its order of preference among `supported` (nil: none
    /// in common). A bad request yields the response to send instead.
    public static func check(_ head: HTTPRequestHead, supported: [String]) -> Result<(key: String, subprotocol: String?), HTTPErrorResponse> {
        guard head.method == "GET" else { return .failure(HTTPErrorResponse(.methodNotAllowed, "a WebSocket handshake is a GET")) }
        guard head.version == .http11 else { return .failure(HTTPErrorResponse(.badRequest, "a WebSocket handshake needs HTTP/1.1")) }
        guard isUpgradeRequest(head) else {
            return .failure(HTTPErrorResponse(.upgradeRequired, "this resource speaks WebSocket only", headers: HTTPHeaders([("Upgrade", "websocket")])))
        }
        guard head.headers.contains("Connection", token: "upgrade") else {
            return .failure(HTTPErrorResponse(.badRequest, "Connection must include Upgrade"))
        }
        guard head.headers.values("Sec-WebSocket-Version").count == 1, head.headers["Sec-WebSocket-Version"] == "13" else {
            return .failure(HTTPErrorResponse(.upgradeRequired, "only WebSocket version 13 is supported",
                                              headers: HTTPHeaders([("Sec-WebSocket-Version", "13")])))
        }
        let keys = head.headers.values("Sec-WebSocket-Key")
        guard keys.count == 1, WebSocketBase64.isSixteenByteValue(keys[0]) else {
            return .failure(HTTPErrorResponse(.badRequest, "Sec-WebSocket-Key must be the base64 form of 16 bytes"))
        }
        let offered = head.headers.tokens("Sec-WebSocket-Protocol")
        let chosen = offered.first { supported.contains($0) }
        return .success((keys[0], chosen))
    }

    /// The `101` response's headers.
    public static func responseHeaders(key: String, subprotocol: String?) -> HTTPHeaders {
        var h = HTTPHeaders([("Upgrade", "websocket"), ("Sec-WebSocket-Accept", acceptValue(forKey: key))])
        if let subprotocol { h.add("Sec-WebSocket-Protocol", subprotocol) }
        return h
    }
}
