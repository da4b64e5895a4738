/// The outcome of one nonblocking TLS step (handshake, read or write).
///
/// Thread-safety: a value type; any thread.
public enum TLSIOResult: Equatable {
    /// Done; for reads and writes, how many plaintext bytes.
    case done(Int)
    /// OpenSSL needs the socket readable before this step can go on.
    case wantRead
    /// OpenSSL needs the socket writable before this step can go on.
    case wantWrite
    /// The peer closed the TLS session (close_notify, or EOF at a record boundary).
    case closed
    /// The session is broken; the connection must be closed.
    case failed(TLSError)
}
