import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Accepts stream connections (TCP or Unix-domain) on the loop.
///
/// Each readable event accepts up to `maxAcceptsPerTurn`, so a connection
/// storm cannot starve established clients. When the process is out of
/// descriptors (EMFILE/ENFILE) the listener closes its reserve descriptor,
/// accepts the waiting connection, closes it at once and reopens the reserve:
/// the peer sees a clean close instead of hanging, and the level-triggered
/// event does not spin the loop. If even that fails, accepting pauses briefly.
///
/// Thread-safety: loop thread only.
public final class StreamListener: Selectable {
    public enum Kind { case tcp, unix }

    public let loop: EventLoop
    public let kind: Kind
    /// The bound address (with the real port when 0 was asked for).
    public let address: SocketAddress
    /// Limits for the connections it accepts from now on (shared by them).
    public var limits: ConnectionLimits {
        get { sharedLimits.value }
        set { sharedLimits = SharedConnectionLimits(newValue) }
    }
    private var sharedLimits: SharedConnectionLimits
    public var maxAcceptsPerTurn = 64
    /// Called with each accepted, not yet started connection: set its delegate
    /// and call `start()`, or close it.
    public var onAccept: (StreamConnection) -> Void
    /// Called when accepting failed (descriptor limit, other errors).
    public var onAcceptError: ((IOError) -> Void)?

    /// Connections accepted and closed at once for lack of descriptors.
    public private(set) var droppedForDescriptorLimit: UInt64 = 0

    private var fd: Int32
    private var token: UInt64 = 0
    private var reserveFD: Int32 = -1
    private var pauseTimer: TimerHandle?
    private let unixPath: String?

    /// Listens on a TCP address. The backlog defaults to 511, as in Redis and nginx.
    public static func tcp(loop: EventLoop, address: SocketAddress, backlog: Int32 = 511,
                           limits: ConnectionLimits = ConnectionLimits(),
                           onAccept: @escaping (StreamConnection) -> Void) throws -> StreamListener {
        let fd = try ListeningSocket.tcp(address, backlog: backlog)
        let bound = ListeningSocket.localAddress(of: fd) ?? address
        return try StreamListener(loop: loop, fd: fd, kind: .tcp, address: bound, unixPath: nil, limits: limits, onAccept: onAccept)
    }

    /// Listens on a Unix-domain socket file (mode 0600); the file is removed on `close()`.
    public static func unix(loop: EventLoop, path: String, backlog: Int32 = 64,
                            limits: ConnectionLimits = ConnectionLimits(),
                            onAccept: @escaping (StreamConnection) -> Void) throws -> StreamListener {
        let fd = try ListeningSocket.unix(path: path, backlog: backlog)
        return try StreamListener(loop: loop, fd: fd, kind: .unix, address: .unix(path: path), unixPath: path, limits: limits, onAccept: onAccept)
    }

    private init(loop: EventLoop, fd: Int32, kind: Kind, address: SocketAddress, unixPath: String?,
                 limits: ConnectionLimits, onAccept: @escaping (StreamConnection) -> Void) throws {
        self.loop = loop
        self.fd = fd
        self.kind = kind
        self.address = address
        self.unixPath = unixPath
        self.sharedLimits = SharedConnectionLimits(limits)
        self.onAccept = onAccept
        reserveFD = Self.openReserve()
        do {
            token = try loop.register(self, fd: fd, interest: .read)
        } catch {
            // Every property is set, so deinit runs after this throw: mark the
            // descriptors closed, or it would close them a second time.
            closeDescriptor(fd)
            self.fd = -1
            if reserveFD >= 0 { closeDescriptor(reserveFD) }
            reserveFD = -1
            if let path = unixPath { unlink(path) }
            throw error
        }
    }

    deinit {
        if fd >= 0 { closeDescriptor(fd) }
        if reserveFD >= 0 { closeDescriptor(reserveFD) }
    }

    private static func openReserve() -> Int32 {
        open("/dev/null", O_RDONLY | O_CLOEXEC)
    }


    /// Stops listening and, for a Unix socket, removes its file.
    public func close() {
        guard fd >= 0 else { return }
        loop.deregister(fd: fd, token: token)
        closeDescriptor(fd)
        fd = -1
        if let timer = pauseTimer { loop.cancel(timer) }
        if let path = unixPath { unlink(path) }
    }

    /// The loop is closing: stop listening, as `close()`.
    public func loopWillClose() { close() }

    public func handleReadable() {
        for _ in 0..<maxAcceptsPerTurn {
            guard fd >= 0 else { return }
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let result: IOResult<Int32>
            do {
                result = try syscall("accept4") {
                    withUnsafeMutablePointer(to: &storage) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { cepoll_accept(fd, $0, &len) }
                    }
                }
            } catch let error as IOError {
                handleAcceptError(error)
                return
            } catch { return }
            // No TCP_NODELAY here: the accepted socket inherits it from the
            // listener (`ListeningSocket.tcp`).
            guard case .processed(let client) = result else { return }
            let peer = kind == .unix ? SocketAddress.unix(path: unixPath ?? "") : SocketAddress(storage: storage)
            onAccept(StreamConnection(fd: client, loop: loop, peer: peer, sharedLimits: sharedLimits))
        }
    }

    private func handleAcceptError(_ error: IOError) {
        onAcceptError?(error)
        switch error.errnoCode {
        case EMFILE, ENFILE:
            if reserveFD >= 0 {
                closeDescriptor(reserveFD)
                let client = cepoll_accept(fd, nil, nil)
                if client >= 0 {
                    closeDescriptor(client)
                    droppedForDescriptorLimit &+= 1
                }
                reserveFD = Self.openReserve()
            }
            if reserveFD < 0 { pause() }
        case ECONNABORTED, EPROTO, EPERM:
            break  // that one connection failed; the next may not
        default:
            pause()  // ENOBUFS, ENOMEM…: back off rather than spin
        }
    }

    /// Stops accepting for a moment when no descriptor could be freed.
    private func pause() {
        guard pauseTimer == nil, fd >= 0 else { return }
        try? loop.setInterest([], fd: fd, token: token)
        pauseTimer = loop.schedule(after: .milliseconds(100)) { [weak self] in
            guard let self, self.fd >= 0 else { return }
            self.pauseTimer = nil
            if self.reserveFD < 0 { self.reserveFD = Self.openReserve() }
            try? self.loop.setInterest(.read, fd: self.fd, token: self.token)
        }
    }
}
