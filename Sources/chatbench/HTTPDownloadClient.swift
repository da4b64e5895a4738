import BenchKit
import CoreLoop
#if canImport(Glibc)
import Glibc
#endif

/// One keep-alive HTTP/1.1 connection of `http-download`: one GET at a time
/// (no pipelining), its head checked (status, `Content-Length`,
/// `Content-Range` for a range, no `Connection: close`) and every body byte
/// compared with the file as uploaded, as it arrives.
///
/// Thread-safety: loop thread only.
final class HTTPDownloadClient: StreamConnectionDelegate {
    let id: Int
    private(set) var connection: StreamConnection?
    /// The file as uploaded: what every body must equal, byte for byte.
    let expected: [UInt8]
    /// Body bytes of the request being answered, as they arrive.
    var onBytes: (Int) -> Void = { _ in }
    /// A response done: its body bytes and nanoseconds from request to last byte.
    var onResponse: (HTTPDownloadClient, Int, UInt64) -> Void = { _, _, _ in }
    /// A wrong answer (status, head, length, a byte): the run is not valid.
    var onFailure: (HTTPDownloadClient, String) -> Void = { _, _ in }
    var onClose: (HTTPDownloadClient, CloseReason) -> Void = { _, _ in }

    private enum State {
        case idle
        case awaitingHead(range: ClosedRange<Int>?)
        /// The body of `range`: the next byte expected is at `next`.
        case body(next: Int, end: Int)
    }

    private var state = State.idle
    private var requestStart: UInt64 = 0
    /// Body bytes of the response being read.
    private var bodyLength = 0

    init(id: Int, expected: [UInt8]) {
        self.id = id
        self.expected = expected
    }

    var isIdle: Bool { if case .idle = state { return true } else { return false } }

    func connect(loop: EventLoop, to address: SocketAddress, connected: @escaping (HTTPDownloadClient) -> Void,
                 failed: @escaping (IOError) -> Void) {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 0
        limits.maxInboundBytes = 1 << 20
        limits.maxReadPerTurn = 256 * 1024
        TCPConnector.connect(loop: loop, to: address, limits: limits) { [self] result in
            switch result {
            case .failure(let error):
                failed(error)
            case .success(let connection):
                self.connection = connection
                connection.own(delegate: self)
                do {
                    try connection.start()
                } catch {
                    connection.close(reason: .local("setup failed"))
                    return failed(error as? IOError ?? IOError(errnoCode: EPROTO, function: "start"))
                }
                connected(self)
            }
        }
    }

    /// Sends `GET path` (with `Range` for `range`); `head` holds the fixed fields.
    func get(_ path: String, head: String, range: ClosedRange<Int>?) {
        guard isIdle, let connection else { return }
        var request = "GET \(path) HTTP/1.1\r\n" + head
        if let range { request += "Range: bytes=\(range.lowerBound)-\(range.upperBound)\r\n" }
        request += "\r\n"
        state = .awaitingHead(range: range)
        requestStart = MonotonicClock.nanoseconds()
        request.withUTF8 { _ = connection.write(copying: UnsafeRawBufferPointer($0)) }
    }

    func close() { connection?.close(reason: .local("bench done")) }

    private func fail(_ why: String) {
        state = .idle
        onFailure(self, why)
        connection?.close(reason: .local(why))
    }

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        var consumed = 0
        while consumed < bytes.count {
            switch state {
            case .idle:
                fail("\(bytes.count - consumed) bytes with no request outstanding")
                return bytes.count
            case .awaitingHead(let range):
                switch HTTPResponseHead.parse(UnsafeRawBufferPointer(rebasing: bytes[consumed...])) {
                case .incomplete:
                    return consumed
                case .failure(let error):
                    fail(error.description)
                    return bytes.count
                case .head(let head, let used):
                    consumed += used
                    if let why = check(head, range: range) {
                        fail(why)
                        return bytes.count
                    }
                    let span = range ?? 0...(expected.count - 1)
                    bodyLength = span.count
                    state = .body(next: span.lowerBound, end: span.upperBound + 1)
                }
            case .body(let next, let end):
                let take = min(end - next, bytes.count - consumed)
                let same = expected.withUnsafeBytes { memcmp($0.baseAddress! + next, bytes.baseAddress! + consumed, take) == 0 }
                guard same else {
                    fail("body differs from the uploaded file within bytes \(next)..<\(next + take)")
                    return bytes.count
                }
                consumed += take
                onBytes(take)
                if next + take == end {
                    state = .idle
                    onResponse(self, bodyLength, MonotonicClock.nanoseconds() &- requestStart)
                } else {
                    state = .body(next: next + take, end: end)
                }
            }
        }
        return consumed
    }

    /// Nil if `head` answers the request for `range` (nil: the whole file) correctly.
    func check(_ head: HTTPResponseHead, range: ClosedRange<Int>?) -> String? {
        let size = expected.count
        if head.has("Connection", token: "close") { return "the server closes the connection (keep-alive expected)" }
        guard let length = head.contentLength else { return "\(head.status) without Content-Length" }
        guard let range else {
            guard head.status == 200 else { return "answered \(head.status) \(head.reason)" }
            return length == size ? nil : "Content-Length \(length), the file has \(size) bytes"
        }
        guard head.status == 206 else { return "range \(range) answered \(head.status) \(head.reason)" }
        guard let r = head.contentRange, r.first == range.lowerBound, r.last == range.upperBound, r.size == size else {
            return "range \(range) answered Content-Range \(head["Content-Range"] ?? "(none)")"
        }
        return length == range.count ? nil : "range \(range) answered Content-Length \(length)"
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        self.connection = nil
        onClose(self, reason)
    }
}
