import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Opens an outbound TCP connection without blocking the loop: a nonblocking
/// connect, then a wait for writability and a check of SO_ERROR. The result
/// is a `StreamConnection` (not yet started) or the error.
///
/// Thread-safety: loop thread only.
public final class TCPConnector: Selectable {
    private let loop: EventLoop
    private let fd: Int32
    private let peer: SocketAddress
    private let limits: ConnectionLimits
    private var token: UInt64 = 0
    private var completion: ((Result<StreamConnection, IOError>) -> Void)?

    /// Starts connecting to `address`; `completion` runs on the loop thread, once.
    /// With `source`, the socket is bound to that local address first (port 0:
    /// the kernel picks one at connect time), which is how a load generator
    /// gets past the ~28,000 ephemeral ports of one source address.
    public static func connect(loop: EventLoop, to address: SocketAddress, from source: SocketAddress? = nil,
                               limits: ConnectionLimits = ConnectionLimits(),
                               completion: @escaping (Result<StreamConnection, IOError>) -> Void) {
        let fd = cepoll_socket(address.family, cepoll_sock_stream())
        guard fd >= 0 else {
            return completion(.failure(IOError(errnoCode: errno, function: "socket")))
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if let source {
            // IP_BIND_ADDRESS_NO_PORT (24): reserve the port at connect, when
            // the kernel knows the whole 4-tuple, not at bind (where every
            // bound port would be taken for all destinations).
            setsockopt(fd, Int32(IPPROTO_IP), 24, &one, socklen_t(MemoryLayout<Int32>.size))
            let bound = source.withSockAddr { Glibc.bind(fd, $0, $1) }
            guard bound == 0 else {
                let code = errno
                close(fd)
                return completion(.failure(IOError(errnoCode: code, function: "bind")))
            }
        }
        let connector = TCPConnector(loop: loop, fd: fd, peer: address, limits: limits, completion: completion)
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if rc == 0 { return connector.finish(nil) }
        let code = errno
        guard connectIsUnderway(code) else {
            preconditionIsNotUnacceptableErrno(code, function: "connect")
            return connector.finish(IOError(errnoCode: code, function: "connect"))
        }
        do {
            connector.token = try loop.register(connector, fd: fd, interest: .write)
        } catch let error as IOError {
            connector.finish(error)
        } catch {
            // EventLoopError.closed: the completion's type only carries IOError.
            connector.finish(IOError(errnoCode: ECANCELED, function: "connect"))
        }
    }

    private init(loop: EventLoop, fd: Int32, peer: SocketAddress, limits: ConnectionLimits,
                 completion: @escaping (Result<StreamConnection, IOError>) -> Void) {
        self.loop = loop
        self.fd = fd
        self.peer = peer
        self.limits = limits
        self.completion = completion
    }

    /// Whether a nonblocking connect that failed with `code` is still under
    /// way. EINTR counts, like EINPROGRESS: a signal interrupted the call,
    /// not the handshake, which the kernel carries on (POSIX: "the connection
    /// shall be established asynchronously"; a second connect would only say
    /// EALREADY). Writability and SO_ERROR tell the outcome either way.
    static func connectIsUnderway(_ code: Int32) -> Bool {
        code == EINPROGRESS || code == EINTR
    }

    public func handleWritable() {
        let code = takePendingSocketError(fd)
        finish(code == 0 ? nil : IOError(errnoCode: code, function: "connect"))
    }

    public func handleHangup(error: Bool) { handleWritable() }
    /// The loop is closing: the connect is abandoned, and the completion
    /// hears ECANCELED.
    public func loopWillClose() { finish(IOError(errnoCode: ECANCELED, function: "connect")) }
    public func handleReadable() {}

    private func finish(_ error: IOError?) {
        guard let completion else { return }
        self.completion = nil
        if token != 0 { loop.deregister(fd: fd, token: token) }
        if let error {
            closeDescriptor(fd)
            completion(.failure(error))
        } else {
            completion(.success(StreamConnection(fd: fd, loop: loop, peer: peer, limits: limits)))
        }
    }
}
