/// A request's line and header fields, as the parser checked them.
///
/// Thread-safety: a value type; any thread.
public struct HTTPRequestHead: Equatable {
    /// The method as sent (methods are case-sensitive: `get` is not `GET`).
    public var method: String
    /// The request target in origin-form, e.g. `/files/3?download=1` (an
    /// absolute-form target, `http://host/files/3`, is kept without its
    /// scheme and authority; the authority replaces `Host`).
    public var target: String
    /// The authority of an absolute-form target, if the request had one.
    public var authority: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The declared body length (0 without `Content-Length`).
    public var contentLength: Int
    /// The body comes `Transfer-Encoding: chunked` (then `contentLength` is 0
    /// and the body's length is known only at its last chunk).
    public var chunked = false

    public init(method: String, target: String, version: HTTPVersion = .http11, headers: HTTPHeaders = HTTPHeaders(), contentLength: Int = 0) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.contentLength = contentLength
    }

    /// The target up to `?`, still percent-encoded.
    public var path: String {
        if let q = target.firstIndex(of: "?") { return String(target[..<q]) }
        return target
    }

    /// What follows `?`, or nil.
    public var query: String? {
        guard let q = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: q)...])
    }

    /// Whether the connection may carry another request after this one's
    /// response: HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with
    /// `Connection: keep-alive`.
    public var keepAlive: Bool {
        let tokens = headers.tokens("Connection")
        switch version {
        case .http11: return !tokens.contains("close")
        case .http10: return tokens.contains("keep-alive")
        }
    }

    public var isHead: Bool { method == "HEAD" }
}
