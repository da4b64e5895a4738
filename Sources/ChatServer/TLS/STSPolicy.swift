/// IRCv3 Strict Transport Security: what the `sts` capability says. On a
/// plain connection it names the TLS port to move to (`port=6697`); on a TLS
/// connection it gives how long to insist on TLS (`duration=…`). Only offered
/// with `CAP LS 302`, where capabilities carry values; it cannot be requested.
///
/// Thread-safety: a value type; any thread.
public struct STSPolicy: Equatable {
    public var port: Int
    public var durationSeconds: Int

    public init(port: Int, durationSeconds: Int) {
        self.port = port
        self.durationSeconds = durationSeconds
    }

    /// The `sts=…` token for a client on a secure or a plain connection.
    public func capabilityToken(secure: Bool) -> String {
        secure ? "sts=duration=\(durationSeconds)" : "sts=port=\(port)"
    }
}
