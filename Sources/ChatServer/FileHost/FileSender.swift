#if canImport(HTTPCore)
#if canImport(Glibc)
import Glibc
#endif
import CoreLoop
import HTTPCore
import Logging

/// Sends part of an open file as a streamed response body without holding
/// it in memory and without blocking the loop.
///
/// - Plain TCP: `sendfile(2)` straight from the file to the socket, in
///   slices of at most `slice` bytes and `turnBudget` per loop turn, once
///   the response head has left the connection's queue (so bytes stay in
///   order). The socket is nonblocking: when the kernel takes no more
///   (EAGAIN), or a turn's budget is spent, the sender asks the connection
///   to say when the socket is writable again (`notifyWhenWritable`, which
///   arms EPOLLOUT for a writer outside the queue) instead of polling.
/// - TLS (bytes must pass through OpenSSL): `pread` of a slice on a worker
///   thread, then `exchange.write`, the next slice when `onWritable` says the
///   queue drained.
///
/// The file descriptor is closed when the body is done or the peer leaves.
///
/// Thread-safety: loop thread only (a worker reads only `fd`, which stays open until that read returns).
final class FileSender {
    static let slice = 64 * 1024
    static let turnBudget = 256 * 1024

    private let fd: Int32
    private var offset: Int
    private var remaining: Int
    private weak var exchange: HTTPExchange?
    private let loop: EventLoop
    private let readers: Offloader
    private let logger: Logger
    /// A `notifyWhenWritable` callback is pending on the connection.
    private var waiting = false
    private var reading = false
    private var done = false
    /// Keeps the sender alive while it waits (the exchange holds only closures).
    private var retainSelf: FileSender?

    /// - Parameter readers: where TLS downloads read their slices (the database readers' pool).
    init(fd: Int32, offset: Int, length: Int, exchange: HTTPExchange, loop: EventLoop, readers: Offloader, logger: Logger) {
        self.fd = fd
        self.readers = readers
        self.offset = offset
        self.remaining = length
        self.exchange = exchange
        self.loop = loop
        self.logger = logger
    }

    func start() {
        guard let exchange else { return finish(ok: false) }
        retainSelf = self
        exchange.onClose = { [weak self] _ in self?.finish(ok: false) }
        exchange.onWritable = { [weak self] in self?.pump() }
        if exchange.request.head.isHead { return finish(ok: true) }
        pump()
    }

    private func pump() {
        guard !done, let exchange, let connection = exchange.connection else { return finish(ok: false) }
        if remaining == 0 { return finish(ok: true) }
        if connection.tls != nil { return readSlice(exchange) }
        // The head (and anything before it) must be on the wire first.
        guard connection.outboundBytes == 0 else { return waitForWritable(connection) }
        var budget = Self.turnBudget
        while remaining > 0 && budget > 0 {
            var off = off_t(offset)
            let n = Glibc.sendfile(connection.fd, fd, &off, min(remaining, Self.slice, budget))
            if n > 0 {
                offset += n
                remaining -= n
                budget -= n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return waitForWritable(connection) }
            if n == 0 {
                logger.error("file shrank while being sent (\(remaining) bytes missing)")
            } else {
                logger.notice("sendfile failed: errno \(errno)")
            }
            connection.close(reason: .local("file send failed"))
            return finish(ok: false)
        }
        // Budget spent: the socket is probably still writable, so EPOLLOUT
        // brings us back next turn, after the other connections' events.
        if remaining == 0 { finish(ok: true) } else { waitForWritable(connection) }
    }

    /// With bytes queued (the head): called when the queue is empty. With
    /// none: called when the kernel reports the socket writable.
    private func waitForWritable(_ connection: StreamConnection) {
        guard !waiting else { return }
        waiting = connection.notifyWhenWritable(queuedAtMost: 0) { [weak self] in
            guard let self else { return }
            self.waiting = false
            self.pump()
        }
        // Not open any more (closing): the exchange's onClose ends us.
    }

    /// TLS: the next slice is read on a worker, then queued through the exchange.
    private func readSlice(_ exchange: HTTPExchange) {
        guard !reading else { return }
        guard exchange.isWritable else { return }  // onWritable brings us back
        reading = true
        let (fd, offset, count) = (self.fd, self.offset, min(remaining, Self.slice))
        readers.offload({ () throws -> [UInt8] in
            var buffer = [UInt8](repeating: 0, count: count)
            let n = buffer.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress!, count, off_t(offset)) }
            guard n > 0 else { throw FileStoreError(operation: "pread", path: "fd \(fd)", errno: n < 0 ? errno : EIO) }
            return Array(buffer[0..<n])
        }, completion: { [weak self] result in
            guard let self else { return }
            self.reading = false
            if self.done { Glibc.close(self.fd); return }  // finish() left the descriptor to us
            guard let exchange = self.exchange else { return self.finish(ok: false) }
            switch result {
            case .success(let bytes):
                self.offset += bytes.count
                self.remaining -= bytes.count
                exchange.write(ByteChunk(bytes))
                self.pump()
            case .failure(let error):
                self.logger.error("reading a file for download failed: \(error)")
                exchange.connection?.close(reason: .local("file read failed"))
                self.finish(ok: false)
            }
        })
    }

    private func finish(ok: Bool) {
        guard !done else { return }
        done = true
        // A worker still reading from fd closes it when its read comes back.
        if !reading { Glibc.close(fd) }
        if let exchange {
            exchange.onClose = nil
            exchange.onWritable = nil
            if ok { exchange.finish() }
        }
        retainSelf = nil
    }
}
#endif
