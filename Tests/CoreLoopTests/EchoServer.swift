import CoreLoop
import Foundation

/// A loopback echo server for tests, recording how connections closed.
final class EchoServer: StreamConnectionDelegate {
    let listener: StreamListener
    var connections: [UInt64: StreamConnection] = [:]
    var closeReasons: [UInt64: [CloseReason]] = [:]
    /// Replaces echoing when set: gets the connection and the bytes.
    /// - Warning: the bytes are valid only during the call (the loop's read buffer).
    var onRead: ((StreamConnection, UnsafeRawBufferPointer) -> Int)?
    /// Returned by `farewellAfterSendQueueOverflow` (a line protocol's last words).
    var farewell: [UInt8]?

    init(loop: EventLoop, limits: ConnectionLimits = ConnectionLimits()) throws {
        let address = try SocketAddress(host: "127.0.0.1", port: 0)
        var accepted: ((StreamConnection) -> Void)?
        listener = try StreamListener.tcp(loop: loop, address: address, limits: limits) { accepted?($0) }
        accepted = { [unowned self] connection in
            connection.delegate = self
            self.connections[connection.id] = connection
            try? connection.start()
        }
    }

    var port: Int { listener.address.port! }

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        if let onRead { return onRead(connection, bytes) }
        connection.write(ByteChunk(bytes))
        return bytes.count
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        closeReasons[connection.id, default: []].append(reason)
        connections[connection.id] = nil
    }

    func farewellAfterSendQueueOverflow(_ connection: StreamConnection) -> [UInt8]? { farewell }

    var allReasons: [CloseReason] { closeReasons.values.flatMap { $0 } }
}
