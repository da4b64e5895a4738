/// The `tls` section of the configuration: where the certificate and key
/// are, how long a handshake may take, and the STS policy.
///
/// Which listeners use TLS is `ServerConfig.tlsListen` (from `listen`
/// objects with `"tls": true`, or `--tls-listen`).
///
/// Thread-safety: a value type; any thread.
public struct TLSSettings: Equatable {
    /// PEM certificate (chain) file; nil: a self-signed one in the data folder.
    public var certificateFile: String?
    /// PEM private key file; required with `certificateFile`.
    public var keyFile: String?
    /// Seconds a client has to finish the TLS handshake before it is dropped.
    public var handshakeTimeoutSeconds = 10
    /// IRCv3 STS: how long (seconds) clients should insist on TLS, sent as
    /// `sts=duration=N` on TLS connections; plain connections are told the
    /// TLS port (`sts=port=P`). 0: no `sts` capability. Off by default: a
    /// policy pins clients to TLS, and with the generated self-signed
    /// certificate, clients that verify would be locked out.
    public var stsDurationSeconds = 0

    public init() {}

    /// The generated certificate and key when none is configured.
    public static func generatedCertificatePath(dataDir: String) -> String { dataDir + "/tls-cert.pem" }
    public static func generatedKeyPath(dataDir: String) -> String { dataDir + "/tls-key.pem" }

    /// The files to load, configured or generated.
    public func paths(dataDir: String) -> (certificate: String, key: String, generated: Bool) {
        if let certificateFile, let keyFile { return (certificateFile, keyFile, false) }
        return (Self.generatedCertificatePath(dataDir: dataDir), Self.generatedKeyPath(dataDir: dataDir), true)
    }
}
