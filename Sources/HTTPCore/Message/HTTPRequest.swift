import CoreLoop

/// A whole request: the head, the body (at most the responder's body limit)
/// and where it came from.
///
/// Thread-safety: a value type; any thread.
public struct HTTPRequest {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// The peer's address (nil for a Unix socket or in tests).
    public var peer: SocketAddress?
    /// What the responder's `admit` found for this request's head (see
    /// `HTTPAdmission`); nil when it had no body or nothing to hand on.
    public var admission: AnyObject?

    public init(head: HTTPRequestHead, body: [UInt8] = [], peer: SocketAddress? = nil, admission: AnyObject? = nil) {
        self.head = head
        self.body = body
        self.peer = peer
        self.admission = admission
    }

    public var method: String { head.method }
    public var path: String { head.path }
    public var headers: HTTPHeaders { head.headers }
}
