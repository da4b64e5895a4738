import CoreLoop

/// Reading a request's body: the responder's verdict on the head first
/// (`HTTPResponder.admit`), a reservation in the server's body budget, then
/// the bytes, at a pace (`BodyPace`).
///
/// A refused body is read and dropped, not kept, and then the refusal is
/// the answer, so a client that sent its body at once still reads the
/// status (closing with its body unread would reset the connection and
/// lose the answer); a client that waits for `100 Continue` is refused
/// at once instead, and the connection closes, since the body it may still
/// send cannot be told from the next request.
///
/// Thread-safety: loop thread only.
extension HTTPConnection {
    /// Asks the responder about `head`'s body. True when the verdict came at
    /// once and was acted on (the body is being read, or the answer is out);
    /// false while it is awaited (input is paused meanwhile).
    func admit(_ head: HTTPRequestHead) -> Bool {
        // Nothing of the client's is late while the server decides.
        cancelTimer()
        admissionSerial &+= 1
        let serial = admissionSerial
        state = .admitting(head)
        var verdictNow: HTTPAdmission?
        var awaited = false
        server.responder.admit(head, peer: connection.peer) { [weak self] verdict in
            guard awaited else { verdictNow = verdict; return }
            self?.admitted(verdict, head: head, serial: serial)
        }
        guard let verdictNow else {
            awaited = true
            return false
        }
        startBody(head, verdictNow)
        return true
    }

    /// A verdict that came later (after a worker's answer).
    private func admitted(_ verdict: HTTPAdmission, head: HTTPRequestHead, serial: Int) {
        // Closed meanwhile (the peer left, shutdown): nothing to do.
        guard case .admitting = state, serial == admissionSerial else { return }
        startBody(head, verdict)
        switch state {
        case .readingBody, .readingChunked:
            let connection = self.connection
            server.loop.execute { connection.resumeReading() }
        default:
            break
        }
    }

    private func startBody(_ head: HTTPRequestHead, _ verdict: HTTPAdmission) {
        let limit = server.responder.bodyLimit(for: head, default: server.limits.maxBodyBytes)
        switch verdict {
        case .refuse(let response):
            if head.version == .http11 && head.headers.contains("Expect", token: "100-continue") {
                return answer(response, head: head, close: true)
            }
            refusal = response
        case .admit(let context):
            // A chunked body's length is unknown: a first slice, more as it grows (`bodyGrew`).
            let needed = head.chunked ? min(limit, BodyBudget.chunkedSlice) : head.contentLength
            guard reserveBody(needed) else { return answer(Self.bodiesBusy, head: head, close: true) }
            admission = context
            continueIfExpected(head)
        }
        body = []
        pace = BodyPace(bytesPerSecond: server.limits.minBodyBytesPerSecond, windowNanos: server.limits.headerTimeoutNanos,
                        remaining: head.chunked ? nil : head.contentLength)
        if head.chunked {
            decoder = ChunkedBodyDecoder(limits: server.limits, maxBodyBytes: limit)
            state = .readingChunked(head)
        } else {
            if refusal == nil { body.reserveCapacity(min(head.contentLength, 64 * 1024)) }
            state = .readingBody(head, remaining: head.contentLength)
        }
        arm(server.limits.headerTimeoutNanos, timedOut: false)
    }

    /// The whole body is in: to the responder, or, if it was refused, the refusal.
    func bodyComplete(_ head: HTTPRequestHead) {
        guard let refusal else { return dispatch(head) }
        answer(refusal, head: head, close: false)
    }

    /// The pace timer fired with the body unfinished.
    func bodyWindowEnded() {
        var remaining: Int?
        let head: HTTPRequestHead?
        switch state {
        case .readingBody(let h, let left): head = h; remaining = left
        case .readingChunked(let h): head = h
        default: return
        }
        guard var pace else { return }
        let fastEnough = pace.windowEnded(remaining: remaining)
        self.pace = pace
        guard fastEnough else {
            let seconds = server.limits.headerTimeoutNanos / 1_000_000_000
            let rate = server.limits.minBodyBytesPerSecond
            let why = rate > 0 ? "the body came slower than \(rate) bytes a second over \(seconds) seconds"
                               : "no part of the body came within \(seconds) seconds"
            return refuse(HTTPParseError(.requestTimeout, why), head: head)
        }
        arm(server.limits.headerTimeoutNanos, timedOut: false)
    }

    /// Gives back this connection's share of the body budget.
    func releaseBodyBudget() {
        guard reservedBodyBytes > 0 else { return }
        server.bodyBudget.release(reservedBodyBytes, address: addressKey)
        reservedBodyBytes = 0
    }

    private func reserveBody(_ bytes: Int) -> Bool {
        guard server.bodyBudget.reserve(bytes, limit: server.limits.maxBodyMemoryBytes, address: addressKey,
                                        holding: reservedBodyBytes) else { return false }
        reservedBodyBytes += bytes
        return true
    }

    /// A chunked body outgrew its reservation: twice as much, or 503 and
    /// close (false) when the budget or the address's share is spent.
    func bodyGrew(_ head: HTTPRequestHead) -> Bool {
        guard refusal == nil, body.count > reservedBodyBytes else { return true }
        let limit = server.responder.bodyLimit(for: head, default: server.limits.maxBodyBytes)
        let wanted = max(body.count, min(reservedBodyBytes * 2, limit))
        guard reserveBody(wanted - reservedBodyBytes) else {
            answer(Self.bodiesBusy, head: head, close: true)
            return false
        }
        return true
    }

    static var bodiesBusy: HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Retry-After", "5")
        return .text(.serviceUnavailable, "Too many request bodies in flight; try again in a few seconds", headers: headers)
    }
}
