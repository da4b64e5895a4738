import CoreLoop

/// Speaks HTTP/1.1 on one `StreamConnection`: parses requests one at a time,
/// hands each to the responder with an `HTTPExchange`, and enforces the
/// limits and timeouts.
///
/// - Pipelining: requests are answered in order. While a response is not
///   finished, reading pauses, so later requests wait in the kernel (and in
///   the connection's bounded inbound buffer), never in a queue of ours.
/// - Bodies are read only up to the responder's limit: a larger
///   `Content-Length` gets 413 before any of it is read; a chunked body
///   (`ChunkedBodyDecoder`) gets 413 at the first chunk size that would pass
///   it, and nothing more is read. Either way the responder gets the whole
///   decoded body, and the next pipelined request starts right after it.
/// - Before a body is read the responder judges the head
///   (`HTTPResponder.admit`: credentials, names), and the server reserves
///   room for the body in its budget (`maxBodyMemoryBytes`, else 503). A
///   refused body is read and dropped, then the refusal is the answer (the
///   connection stays usable); a client waiting for `100 Continue` gets the
///   refusal at once instead, and the connection closes. See
///   `HTTPConnection+Body.swift`.
/// - `Expect: 100-continue` is answered with `100 Continue` once the body is
///   admitted and within the limit (curl waits a second for it otherwise).
/// - Timers: idle between requests (`idleTimeoutNanos`, closed silently);
///   from a request's first byte to its complete head (`headerTimeoutNanos`,
///   408); and a body's pace, checked every `headerTimeoutNanos`
///   (`BodyPace`, 408). None runs while the responder decides.
/// - A method the route does not take gets 405 with `Allow`
///   (`HTTPResponder.allowedMethods(for:)`), before the body limit; if the
///   request has a body, which is then not read, the connection closes after.
/// - A malformed request gets its status with a one-line reason and
///   `Connection: close`; the connection closes once that is flushed.
///
/// Thread-safety: loop thread only.
final class HTTPConnection: StreamConnectionDelegate {
    enum State {
        /// Between requests, or with part of a head received.
        case waiting
        /// A head with a body, waiting on `HTTPResponder.admit`; input waits.
        case admitting(HTTPRequestHead)
        case readingBody(HTTPRequestHead, remaining: Int)
        /// Decoding a chunked body with `decoder`.
        case readingChunked(HTTPRequestHead)
        case responding(HTTPExchange)
        /// Handed to another protocol's delegate.
        case upgraded(StreamConnectionDelegate)
        case closed
    }

    let connection: StreamConnection
    unowned let server: HTTPServer
    var state: State = .waiting
    var body: [UInt8] = []
    /// Where a chunked body is, while `state` is `.readingChunked`.
    var decoder: ChunkedBodyDecoder?
    /// The body's pace, while one is read.
    var pace: BodyPace?
    /// The answer for a body being read only to be dropped (refused by `admit`).
    var refusal: HTTPResponse?
    /// What `admit` found, handed on with the request.
    var admission: AnyObject?
    /// Bytes of the server's body budget this connection holds.
    var reservedBodyBytes = 0
    /// Tells a late `admit` answer from one for a request since abandoned.
    var admissionSerial = 0
    /// The peer's address, as counted for `maxConnectionsPerAddress`.
    var addressKey: String?
    private var timer: TimerHandle?
    /// Set while `respond` runs, so a response finished inside it does not resume reading from within.
    var dispatching = false
    /// The peer shut its side: close once the current response is out.
    private var peerDone = false
    private var parser: HTTPRequestParser

    init(connection: StreamConnection, server: HTTPServer) {
        self.connection = connection
        self.server = server
        self.parser = HTTPRequestParser(limits: server.limits)
    }

    // MARK: Input

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        var consumed = 0
        while true {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[consumed...])
            switch state {
            case .closed:
                return bytes.count
            case .upgraded(let delegate):
                // Bytes that came right behind the upgrade request belong to the new protocol.
                return rest.isEmpty ? consumed : consumed + delegate.connection(connection, didRead: rest)
            case .responding:
                if !rest.isEmpty { connection.pauseReading() }
                return consumed
            case .admitting:
                if !rest.isEmpty { connection.pauseReading() }
                return consumed
            case .readingBody(let head, let remaining):
                guard !rest.isEmpty else { return consumed }
                let take = min(remaining, rest.count)
                if refusal == nil { body.append(contentsOf: rest[0..<take]) }
                pace?.received(take)
                consumed += take
                guard take == remaining else {
                    state = .readingBody(head, remaining: remaining - take)
                    return consumed
                }
                bodyComplete(head)
            case .readingChunked(let head):
                guard !rest.isEmpty, var decoder else { return consumed }
                self.decoder = nil  // taken out while it works, so its line buffer is not copied on write
                let used: Int
                do {
                    used = try decoder.decode(rest, into: &body)
                } catch let error as HTTPParseError {
                    refuse(error, head: head)
                    return bytes.count
                } catch {
                    refuse(.bad("unreadable chunked body"), head: head)
                    return bytes.count
                }
                consumed += used
                pace?.received(used)
                if refusal != nil { body.removeAll(keepingCapacity: true) }
                guard bodyGrew(head) else { return bytes.count }
                guard decoder.isComplete else {
                    self.decoder = decoder
                    return consumed
                }
                bodyComplete(head)
            case .waiting:
                guard !rest.isEmpty else { return consumed }
                switch parser.parse(rest) {
                case .incomplete:
                    if timer == nil || !timerIsHeaderTimer { arm(server.limits.headerTimeoutNanos, timedOut: true) }
                    return consumed
                case .failure(let error):
                    refuse(error, head: nil)
                    return bytes.count
                case .head(let head, let used):
                    consumed += used
                    server.stats.requests &+= 1
                    if let allowed = server.responder.allowedMethods(for: head), !allowed.contains(head.method) {
                        let refusal = HTTPErrorResponse.methodNotAllowed(head.method, allowed: allowed)
                        guard !head.chunked && head.contentLength == 0 else {
                            // Its body is not read, so where the next request starts is
                            // unknown: answer, then close, as for a refused request.
                            answer(refusal.response, head: head, close: true)
                            return bytes.count
                        }
                        answer(refusal.response, head: head, close: false)
                        continue
                    }
                    let limit = server.responder.bodyLimit(for: head, default: server.limits.maxBodyBytes)
                    if head.contentLength > limit {
                        refuse(HTTPParseError(.payloadTooLarge, "a body of \(head.contentLength) bytes is over this resource's limit of \(limit) bytes"), head: head)
                        return bytes.count
                    }
                    guard head.chunked || head.contentLength > 0 else {
                        body = []
                        dispatch(head)
                        continue
                    }
                    // The body waits until the responder has judged the head.
                    guard admit(head) else {
                        connection.pauseReading()
                        return consumed
                    }
                    if case .closed = state { return bytes.count }
                    if case .responding = state { return bytes.count }
                }
            }
        }
    }

    /// An interim `100 Continue` for a client that waits for it before
    /// sending the body (RFC 9110 §10.1.1); HTTP/1.0 clients get none.
    func continueIfExpected(_ head: HTTPRequestHead) {
        guard head.version == .http11, head.headers.contains("Expect", token: "100-continue") else { return }
        connection.write(ByteChunk("HTTP/1.1 100 Continue\r\n\r\n"))
    }

    func dispatch(_ head: HTTPRequestHead) {
        cancelTimer()
        pace = nil
        let request = HTTPRequest(head: head, body: body, peer: connection.peer, admission: admission)
        body = []
        admission = nil
        let exchange = HTTPExchange(request: request, owner: self)
        state = .responding(exchange)
        dispatching = true
        server.responder.respond(to: request, via: exchange)
        dispatching = false
    }

    /// The exchange finished its response (or switched protocols).
    func finished(_ exchange: HTTPExchange, keepAlive: Bool, entry: HTTPAccessLogEntry) {
        server.stats.count(status: entry.status)
        server.stats.bodyBytesSent &+= UInt64(entry.bytes)
        server.accessLog(entry)
        guard case .responding(let current) = state, current === exchange else { return }
        releaseBodyBudget()
        if !keepAlive || peerDone {
            state = .closed
            connection.close(reason: .local("response complete"), afterFlush: true)
            return
        }
        state = .waiting
        armIdleTimer()
        if !dispatching && connection.isReadingPaused {
            // Later: resuming hands back buffered requests at once, and this
            // may be deep inside the responder's completion.
            let connection = self.connection
            server.loop.execute { connection.resumeReading() }
        }
    }

    func upgraded(_ exchange: HTTPExchange, to delegate: StreamConnectionDelegate, entry: HTTPAccessLogEntry) {
        server.stats.count(status: entry.status)
        server.stats.upgrades &+= 1
        server.forget(self)
        server.accessLog(entry)
        cancelTimer()
        state = .upgraded(delegate)
        connection.own(delegate: delegate)  // the connection now owns the new protocol, and lets go of us
        if !dispatching && connection.isReadingPaused {
            let connection = self.connection
            server.loop.execute { connection.resumeReading() }
        }
    }

    /// Answers a well-formed request without asking the responder (a method
    /// it does not take); `close` when part of the request was left unread.
    func answer(_ response: HTTPResponse, head: HTTPRequestHead, close: Bool) {
        cancelTimer()
        pace = nil
        body = []
        refusal = nil
        admission = nil
        let exchange = HTTPExchange(request: HTTPRequest(head: head, peer: connection.peer), owner: self)
        state = .responding(exchange)
        exchange.forceClose = close
        // As in `dispatch`: finishing inside must not resume reading from within this read.
        dispatching = true
        exchange.respond(response)
        dispatching = false
    }

    /// Answers a request that could not be read and closes.
    func refuse(_ error: HTTPParseError, head: HTTPRequestHead?) {
        cancelTimer()
        pace = nil
        body = []
        refusal = nil
        admission = nil
        server.stats.malformedRequests &+= 1
        let exchange = HTTPExchange(request: HTTPRequest(head: head ?? HTTPRequestHead(method: "-", target: "-"), peer: connection.peer), owner: self)
        state = .responding(exchange)
        exchange.forceClose = true
        exchange.respond(.text(error.status, error.reason))
    }

    // MARK: Timers

    private var timerIsHeaderTimer = false

    func armIdleTimer() {
        arm(server.limits.idleTimeoutNanos, timedOut: false)
    }

    func arm(_ nanos: UInt64, timedOut isHeader: Bool) {
        cancelTimer()
        timerIsHeaderTimer = isHeader
        timer = server.loop.schedule(after: Nanoseconds(nanos)) { [weak self] in
            guard let self else { return }
            self.timer = nil
            if isHeader {
                self.refuse(HTTPParseError(.requestTimeout, "the request was not complete within \(nanos / 1_000_000_000) seconds"), head: nil)
            } else if self.pace != nil {
                self.bodyWindowEnded()
            } else {
                self.state = .closed
                self.connection.close(reason: .local("idle timeout"))
            }
        }
    }

    func cancelTimer() {
        if let timer { _ = server.loop.cancel(timer) }
        timer = nil
    }

    // MARK: Lifecycle

    func connectionDidReceiveEOF(_ connection: StreamConnection) {
        peerDone = true
        if case .responding = state { return }  // the response goes out first, then we close
        state = .closed
        cancelTimer()
        connection.close(reason: .peerClosed, afterFlush: true)
    }

    func connection(_ connection: StreamConnection, writabilityChanged writable: Bool) {
        if case .responding(let exchange) = state { exchange.writabilityChanged(writable) }
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        cancelTimer()
        server.forget(self)
        if case .responding(let exchange) = state { exchange.connectionClosed(reason) }
        state = .closed
    }
}
