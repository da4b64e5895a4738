/// What the server stores to check SCRAM-SHA-256 log-ins without knowing
/// the password (RFC 5802 §3): the salt, the iteration count, StoredKey =
/// H(ClientKey) and ServerKey. Derived from the password when an account is
/// created or its password changes, and for accounts older than SCRAM at
/// their next PLAIN (or PASS) log-in.
///
/// The password is used as its UTF-8 bytes, without SASLprep: the same
/// bytes PLAIN checks, so a password that works for one works for the other.
///
/// Thread-safety: a value type; any thread. `derive` is slow (PBKDF2): call
/// it on a worker.
public struct ScramVerifier: Equatable {
    public var salt: [UInt8]
    public var iterations: Int
    public var storedKey: [UInt8]
    public var serverKey: [UInt8]

    /// RFC 7677 asks for at least 4096.
    public static let defaultIterations = 4096

    public init(salt: [UInt8], iterations: Int, storedKey: [UInt8], serverKey: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// A verifier for `password` with `salt` (16 fresh random bytes by default).
    static func derive(password: String, salt: [UInt8] = ScramCrypto.randomBytes(16),
                              iterations: Int = defaultIterations) -> ScramVerifier {
        let salted = ScramCrypto.hi(password: Array(password.utf8), salt: salt, iterations: iterations)
        let clientKey = ScramCrypto.hmac(key: salted, Array("Client Key".utf8))
        let serverKey = ScramCrypto.hmac(key: salted, Array("Server Key".utf8))
        return ScramVerifier(salt: salt, iterations: iterations, storedKey: ScramCrypto.sha256(clientKey), serverKey: serverKey)
    }
}
