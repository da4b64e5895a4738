/// Receives a stream connection's input and lifecycle.
///
/// Thread-safety: called on the loop thread only.
public protocol StreamConnectionDelegate: AnyObject {
    /// New input. Return how many leading bytes were consumed; the rest is kept
    /// and handed back, with more, next time.
    /// - Warning: `bytes` is valid only during this call: it points into the
    ///   loop's shared read buffer (or the connection's kept input), which the
    ///   next read overwrites. Copy what must outlive the call.
    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int
    /// The peer shut its writing side. The default flushes what is queued and closes.
    func connectionDidReceiveEOF(_ connection: StreamConnection)
    /// The outbound queue crossed the high (false) or back under the low (true) water mark.
    func connection(_ connection: StreamConnection, writabilityChanged writable: Bool)
    /// The connection closed; called exactly once, after which it is inert.
    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason)
    /// The send queue passed its hard limit and its bytes are being dropped:
    /// a line protocol returns its last words (sent after the rest of the
    /// line already started, in one attempt, before the close). The default,
    /// nil, drops everything (right for framed protocols). Called inside a
    /// `write`: it must not write or close.
    func farewellAfterSendQueueOverflow(_ connection: StreamConnection) -> [UInt8]?
}

extension StreamConnectionDelegate {
    public func connectionDidReceiveEOF(_ connection: StreamConnection) {
        connection.close(reason: .peerClosed, afterFlush: true)
    }
    public func connection(_ connection: StreamConnection, writabilityChanged writable: Bool) {}
    public func farewellAfterSendQueueOverflow(_ connection: StreamConnection) -> [UInt8]? { nil }
}
