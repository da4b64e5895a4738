import CoreLoop

/// Picks the responder for a request by path: exact paths first, then the
/// longest matching prefix (a prefix `/static/` matches `/static/app.js`; a
/// prefix `/files` matches `/files` and `/files/…`, not `/filesystem`).
/// Nothing matched: 404.
///
/// Thread-safety: loop thread only (routes are added before serving).
public final class HTTPRouter: HTTPResponder {
    private var exact: [String: HTTPResponder] = [:]
    private var prefixes: [(prefix: String, responder: HTTPResponder)] = []
    /// Answers what no route matched.
    public var fallback: HTTPResponder?

    public init() {}

    /// Routes exactly `path` (no query) to `responder`.
    public func add(path: String, _ responder: HTTPResponder) {
        exact[path] = responder
    }

    /// Routes `prefix` and everything under it to `responder`.
    public func add(prefix: String, _ responder: HTTPResponder) {
        prefixes.append((prefix, responder))
        prefixes.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// The responder for `path`, or nil.
    public func responder(for path: String) -> HTTPResponder? {
        if let r = exact[path] { return r }
        for (prefix, responder) in prefixes where Self.matches(path, prefix: prefix) { return responder }
        return fallback
    }

    static func matches(_ path: String, prefix: String) -> Bool {
        guard path.hasPrefix(prefix) else { return false }
        if prefix.hasSuffix("/") || path.utf8.count == prefix.utf8.count { return true }
        return path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: prefix.utf8.count)] == UInt8(ascii: "/")
    }

    public func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int {
        responder(for: head.path)?.bodyLimit(for: head, default: limit) ?? 0
    }

    public func allowedMethods(for head: HTTPRequestHead) -> [String]? {
        responder(for: head.path)?.allowedMethods(for: head)
    }

    public func admit(_ head: HTTPRequestHead, peer: SocketAddress?, done: @escaping (HTTPAdmission) -> Void) {
        guard let responder = responder(for: head.path) else { return done(.admit(context: nil)) }
        responder.admit(head, peer: peer, done: done)
    }

    public func respond(to request: HTTPRequest, via exchange: HTTPExchange) {
        guard let responder = responder(for: request.path) else {
            return exchange.respond(.text(.notFound, "No such page: \(request.path)"))
        }
        responder.respond(to: request, via: exchange)
    }
}
