import CoreLoop

/// The way back for one request: exactly one response goes through it,
/// in one of three forms.
///
/// - `respond(_:)`: a complete response, now or later (after a worker's answer).
/// - `startStream(…)`, then `write(_:)` while `isWritable`, resuming from
///   `onWritable`, then `finish()`: a large body sent with backpressure, so
///   the send queue never holds more than about the high-water mark. With a
///   known `contentLength` the body is sent as is; without one it is sent
///   chunked (HTTP/1.1) or until close (HTTP/1.0).
/// - `upgrade(headers:to:)`: `101 Switching Protocols`, after which the
///   connection belongs to another `StreamConnectionDelegate` (WebSocket).
///
/// `onClose` tells a responder that the peer left before it finished (stop
/// reading the file). Writing after that, or after `finish`, is ignored.
/// HEAD is handled here: the head goes out with the body's length, the body not.
///
/// Thread-safety: loop thread only.
public final class HTTPExchange {
    enum State { case pending, streaming, finished }

    public let request: HTTPRequest
    /// Called when the send queue drained below its low-water mark during a stream.
    public var onWritable: (() -> Void)?
    /// Called if the connection closes before the response finished.
    public var onClose: ((CloseReason) -> Void)?
    private weak var owner: HTTPConnection?
    private var state: State = .pending
    private let started = MonotonicClock.nanoseconds()
    private var status = 0
    private var bodyBytes = 0
    private var chunked = false
    private var keepAlive: Bool
    /// Set for refused requests: the connection closes after this response.
    var forceClose = false {
        didSet { if forceClose { keepAlive = false } }
    }

    init(request: HTTPRequest, owner: HTTPConnection) {
        self.request = request
        self.owner = owner
        keepAlive = request.head.keepAlive
    }

    /// The underlying connection (its peer, TLS state, queue), or nil once closed.
    public var connection: StreamConnection? {
        guard let c = owner?.connection, !c.isClosed else { return nil }
        return c
    }

    public var isFinished: Bool { state == .finished }

    /// Whether more stream writes are welcome now (the queue is under its high-water mark).
    public var isWritable: Bool {
        guard state == .streaming, let c = connection, c.isOpen else { return false }
        return c.outboundBytes < c.limits.outboundHighWater
    }

    /// Sends a whole response.
    public func respond(_ response: HTTPResponse) {
        guard state == .pending, let c = connection else { return }
        let sendBody = !request.head.isHead && !response.status.forbidsBody
        writeHead(response.status, response.headers, contentLength: response.status.forbidsBody ? nil : response.body.count, on: c)
        if sendBody && response.body.count > 0 {
            c.write(response.body)
            bodyBytes = response.body.count
        }
        complete()
    }

    /// Sends the head of a streamed response. `contentLength` nil: chunked
    /// (or close-delimited for an HTTP/1.0 peer).
    public func startStream(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), contentLength: Int?) {
        guard state == .pending, let c = connection else { return }
        var headers = headers
        if contentLength == nil && !request.head.isHead {
            if request.head.version == .http11 {
                chunked = true
                headers.set("Transfer-Encoding", "chunked")
            } else {
                keepAlive = false
            }
        }
        writeHead(status, headers, contentLength: contentLength, on: c)
        state = .streaming
    }

    /// Queues part of a streamed body; false if the connection is gone (stop producing).
    @discardableResult
    public func write(_ chunk: ByteChunk) -> Bool {
        guard state == .streaming, let c = connection else { return false }
        if request.head.isHead || chunk.count == 0 { return true }
        if chunked { Self.write(String(chunk.count, radix: 16) + "\r\n", to: c) }
        let ok = c.write(chunk)
        if chunked { Self.write("\r\n", to: c) }
        bodyBytes += chunk.count
        return ok
    }

    /// Ends a streamed body.
    public func finish() {
        guard state == .streaming, let c = connection else { return }
        if chunked && !request.head.isHead { c.write(ByteChunk("0\r\n\r\n")) }
        complete()
    }

    /// Answers `101 Switching Protocols` with `headers` and hands the
    /// connection to `delegate`, which from now on gets its input, its
    /// writability changes and its close (the connection owns it: `own(delegate:)`).
    public func upgrade(headers: HTTPHeaders, to delegate: StreamConnectionDelegate & AnyObject) {
        guard state == .pending, let c = connection, let owner else { return }
        writeHead(.switchingProtocols, headers, contentLength: nil, on: c, upgrading: true)
        state = .finished
        owner.upgraded(self, to: delegate, entry: entry(note: nil))
    }

    // MARK: Internals

    private func complete() {
        state = .finished
        owner?.finished(self, keepAlive: keepAlive, entry: entry(note: nil))
    }

    private func entry(note: String?) -> HTTPAccessLogEntry {
        HTTPAccessLogEntry(peer: request.peer?.host ?? "-", method: request.head.method, target: request.head.target,
                           status: status, bytes: bodyBytes,
                           millis: Double(MonotonicClock.nanoseconds() &- started) / 1_000_000, note: note)
    }

    private func writeHead(_ status: HTTPStatus, _ headers: HTTPHeaders, contentLength: Int?, on c: StreamConnection, upgrading: Bool = false) {
        self.status = status.code
        if headers.contains("Connection", token: "close") { keepAlive = false }
        var text = "HTTP/1.1 \(status.code) \(status.phrase)\r\n"
        for (name, value) in headers where !HTTPHeaders.same(name, "Content-Length") && !HTTPHeaders.same(name, "Connection") {
            text += "\(name): \(value)\r\n"
        }
        if headers["Date"] == nil, let server = owner?.server { text += "Date: \(server.date.now())\r\n" }
        if headers["Server"] == nil, let server = owner?.server { text += "Server: \(server.serverHeader)\r\n" }
        if let contentLength { text += "Content-Length: \(contentLength)\r\n" }
        if upgrading {
            text += "Connection: Upgrade\r\n"
        } else if !keepAlive {
            text += "Connection: close\r\n"
        } else if request.head.version == .http10 {
            text += "Connection: keep-alive\r\n"
        }
        text += "\r\n"
        Self.write(text, to: c)
    }

    static func write(_ text: String, to c: StreamConnection) {
        var text = text
        text.withUTF8 { _ = c.write(copying: UnsafeRawBufferPointer($0)) }
    }

    func writabilityChanged(_ writable: Bool) {
        if writable && state == .streaming { onWritable?() }
    }

    func connectionClosed(_ reason: CloseReason) {
        guard state != .finished else { return }
        state = .finished
        if let owner {
            let e = entry(note: "closed: \(reason.description)")
            owner.server.stats.count(status: e.status)
            owner.server.accessLog(e)
        }
        onClose?(reason)
        onClose = nil
        onWritable = nil
    }
}
