import CoreLoop

/// Answers requests: the one thing a feature implements to serve HTTP.
///
/// The connection parses a request, asks `bodyLimit(for:)` before reading the
/// body (a `Content-Length` above it gets 413 without reading), and for a
/// request with a body `admit(_:peer:done:)` (say, whether its credentials
/// are good: a refused body is never held), then calls
/// `respond(to:)` once with the whole request and an `HTTPExchange` through
/// which exactly one response goes out: at once (`exchange.respond`), later
/// (after a worker's answer), streamed with backpressure
/// (`startStream`/`write`/`finish`, `onWritable`), or as a protocol switch
/// (`upgrade`, for WebSocket). Until it is finished, later pipelined requests
/// on that connection wait, unread.
///
/// A method the responder does not take for the path (`allowedMethods(for:)`)
/// is refused by the connection with `405` and `Allow`, before the body limit
/// is asked or any body read: so `PUT /files` is 405, not 413 because PUT has
/// no body allowance, and no responder repeats the check.
///
/// Thread-safety: loop thread only.
public protocol HTTPResponder: AnyObject {
    /// The largest body accepted for this head; the default is the server's `maxBodyBytes`.
    func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int
    /// The methods answered for this head's path (in the order `Allow` lists
    /// them), or nil for any method or a path this responder does not know
    /// (so its own 404 still comes first). The default is nil.
    func allowedMethods(for head: HTTPRequestHead) -> [String]?
    /// Whether to read the body of a request with this head; `done` is
    /// called once, now or later on the loop (after a worker's answer).
    /// The default admits every request.
    func admit(_ head: HTTPRequestHead, peer: SocketAddress?, done: @escaping (HTTPAdmission) -> Void)
    func respond(to request: HTTPRequest, via exchange: HTTPExchange)
}

extension HTTPResponder {
    public func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int { limit }
    public func allowedMethods(for head: HTTPRequestHead) -> [String]? { nil }
    public func admit(_ head: HTTPRequestHead, peer: SocketAddress?, done: @escaping (HTTPAdmission) -> Void) {
        done(.admit(context: nil))
    }
}
