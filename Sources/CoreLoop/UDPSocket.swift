import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// A nonblocking UDP socket on the loop (for the score feed).
///
/// Each readable event receives up to `maxDatagramsPerTurn` datagrams, each
/// whole: one longer than `maxDatagramSize` is dropped and counted
/// (`datagramsTruncated`), never handed on cut short. Sending
/// never queues: a datagram the kernel will not take now is dropped and
/// counted, which is what a live feed wants.
///
/// Thread-safety: loop thread only.
public final class UDPSocket: Selectable {
    public let loop: EventLoop
    public let address: SocketAddress
    public var maxDatagramsPerTurn = 64
    /// The longest datagram handed to `onDatagram`.
    public var maxDatagramSize = 65_507
    /// Called with each datagram and its sender.
    /// - Warning: the datagram's buffer is valid only during the call: it is
    ///   the loop's shared read buffer, which the next datagram overwrites.
    public var onDatagram: (UnsafeRawBufferPointer, SocketAddress) -> Void
    public private(set) var datagramsDropped: UInt64 = 0
    /// Datagrams received longer than `maxDatagramSize`, and so ignored.
    public private(set) var datagramsTruncated: UInt64 = 0

    private var fd: Int32
    private var token: UInt64 = 0

    public init(loop: EventLoop, bindTo address: SocketAddress,
                onDatagram: @escaping (UnsafeRawBufferPointer, SocketAddress) -> Void) throws {
        self.loop = loop
        self.onDatagram = onDatagram
        let fd = try syscallChecked("socket") { cepoll_socket(address.family, cepoll_sock_dgram()) }
        do {
            _ = try address.withSockAddr { sa, len in try syscallChecked("bind") { bind(fd, sa, len) } }
        } catch {
            closeDescriptor(fd)  // self is not initialized yet: no deinit will run
            throw error
        }
        self.fd = fd
        self.address = ListeningSocket.localAddress(of: fd) ?? address
        do {
            token = try loop.register(self, fd: fd, interest: .read)
        } catch {
            // Now every property is set, so deinit runs after this throw: mark
            // the descriptor closed, or it would close it a second time.
            closeDescriptor(fd)
            self.fd = -1
            throw error
        }
    }

    deinit { if fd >= 0 { closeDescriptor(fd) } }

    public func close() {
        guard fd >= 0 else { return }
        loop.deregister(fd: fd, token: token)
        closeDescriptor(fd)
        fd = -1
    }

    /// The loop is closing: close the socket, as `close()`.
    public func loopWillClose() { close() }

    /// Sends one datagram. Returns false if it was dropped (socket buffer full).
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, to destination: SocketAddress) throws -> Bool {
        guard fd >= 0 else { return false }
        let result = try destination.withSockAddr { sa, len in
            try syscall("sendto") { sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), sa, len) }
        }
        if case .processed = result { return true }
        datagramsDropped &+= 1
        return false
    }

    @discardableResult
    public func send(_ bytes: [UInt8], to destination: SocketAddress) throws -> Bool {
        try bytes.withUnsafeBytes { try send($0, to: destination) }
    }

    public func handleReadable() {
        let buffer = loop.readBuffer
        let capacity = min(buffer.count, maxDatagramSize)
        for _ in 0..<maxDatagramsPerTurn {
            guard fd >= 0 else { return }
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let result = try? syscall("recvfrom") {
                withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        // MSG_TRUNC: the datagram's real length, even past `capacity`.
                        recvfrom(fd, buffer.baseAddress, capacity, Int32(MSG_TRUNC), $0, &len)
                    }
                }
            }
            guard case .processed(let n)? = result, let sender = SocketAddress(storage: storage) else { return }
            guard n <= capacity else {
                datagramsTruncated &+= 1
                continue
            }
            onDatagram(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), sender)
        }
    }
}
