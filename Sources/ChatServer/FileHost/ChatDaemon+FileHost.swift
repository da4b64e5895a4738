#if canImport(HTTPCore)
import CoreLoop
import HTTPCore

/// Files over HTTP on the web listener: `/files` goes to
/// `FileHTTPResponder`, and ISUPPORT advertises `draft/FILEHOST` with the
/// first web listener's address (clients on the same origin use the path).
extension ChatDaemon {
    /// Called by `startWeb` once the web side exists and its listeners are bound.
    func startFileHost(_ web: WebFrontend) {
        guard server.services != nil, let listener = httpListeners.first else { return }
        web.router.add(prefix: "/files", FileHTTPResponder(server: server, loop: loop))
        let secure = server.config.http.listen.isEmpty
        server.files.hostURL = "\(secure ? "https" : "http")://\(listener.address)/files"
    }
}
#endif
