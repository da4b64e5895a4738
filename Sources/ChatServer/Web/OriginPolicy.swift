import HTTPCore

/// Which web pages may open IRC over WebSocket: browsers send the page's
/// `Origin` with the handshake, so a page elsewhere cannot make a visitor's
/// browser chat here in their name. Clients that are not browsers send no
/// `Origin` and are let through (they could send any value anyway).
///
/// Thread-safety: a value type; any thread.
public struct OriginPolicy: Equatable {
    /// nil: only the page's own origin (the `Host` it asked for); `["*"]`: any.
    public var allowed: [String]?

    public init(allowed: [String]?) {
        self.allowed = allowed?.map(Self.normalize)
    }

    /// Lowercased, without a trailing slash, so `HTTP://Example.org/` equals `http://example.org`.
    public static func normalize(_ origin: String) -> String {
        var o = origin.lowercased()
        while o.hasSuffix("/") { o.removeLast() }
        return o
    }

    /// Whether `head` may open a WebSocket; `secure` says whether it came over TLS.
    public func permits(_ head: HTTPRequestHead, secure: Bool) -> Bool {
        guard let origin = head.headers["Origin"] else { return true }
        let o = Self.normalize(origin)
        if let allowed {
            return allowed.contains("*") || allowed.contains(o)
        }
        guard let host = head.headers["Host"]?.lowercased() else { return false }
        return o == (secure ? "https://" : "http://") + host
    }
}
