import Foundation

/// The client's half of SCRAM-SHA-256 (RFC 5802 §3), for `ChatClient`: the
/// first message, the proof for the server's challenge, and the check of the
/// server's signature (so a server that does not know the verifier cannot
/// pretend the log-in worked). Runs PBKDF2 once, in `clientFinal`.
///
/// Thread-safety: a value type; any thread.
public struct ScramClientSide {
    public let user: String
    public let password: String
    public let nonce: String
    private var expectedServerSignature: [UInt8]?

    /// `nonce`: printable, no comma; random when nil.
    public init(user: String, password: String, nonce: String? = nil) {
        self.user = user
        self.password = password
        self.nonce = nonce ?? Base64.encode(ScramCrypto.randomBytes(18))
    }

    /// `n=` with `,` and `=` escaped as RFC 5802 asks.
    private var escapedUser: String {
        user.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
    }

    private var firstBare: String { "n=\(escapedUser),r=\(nonce)" }

    /// `n,,n=<user>,r=<nonce>`
    public var clientFirst: String { "n,," + firstBare }

    /// The answer to server-first, or nil when the challenge is malformed or
    /// does not extend our nonce.
    public mutating func clientFinal(serverFirst: String) -> String? {
        var fields: [Character: String] = [:]
        for part in serverFirst.split(separator: ",") where part.count >= 2 && part.dropFirst().first == "=" {
            fields[part.first!] = String(part.dropFirst(2))
        }
        guard let combined = fields["r"], combined.hasPrefix(nonce), combined.count > nonce.count,
              let saltText = fields["s"], let salt = Data(base64Encoded: saltText),
              let iterations = fields["i"].flatMap(Int.init), iterations >= 1, iterations <= 1_000_000 else { return nil }
        let withoutProof = "c=biws,r=\(combined)"
        let authMessage = Array("\(firstBare),\(serverFirst),\(withoutProof)".utf8)
        let salted = ScramCrypto.hi(password: Array(password.utf8), salt: [UInt8](salt), iterations: iterations)
        let clientKey = ScramCrypto.hmac(key: salted, Array("Client Key".utf8))
        let signature = ScramCrypto.hmac(key: ScramCrypto.sha256(clientKey), authMessage)
        expectedServerSignature = ScramCrypto.hmac(key: ScramCrypto.hmac(key: salted, Array("Server Key".utf8)), authMessage)
        return withoutProof + ",p=" + Base64.encode(ScramCrypto.xor(clientKey, signature))
    }

    /// Whether server-final (`v=<signature>`) is the one only a server holding the verifier can compute.
    public func verify(serverFinal: String) -> Bool {
        guard let expected = expectedServerSignature, serverFinal.hasPrefix("v="),
              let got = Data(base64Encoded: String(serverFinal.dropFirst(2))) else { return false }
        return ScramCrypto.equal([UInt8](got), expected)
    }
}
