@testable import ChatServer
import Foundation

/// The client side of SCRAM-SHA-256, written out from RFC 5802 §3 for the
/// tests (the primitives are checked against RFC 7677's vector first).
struct ScramTestClient {
    let user: String
    let password: String
    let clientNonce: String
    var gs2Header = "n,,"
    private(set) var serverFirst = ""
    private(set) var expectedServerSignature: [UInt8] = []

    init(user: String, password: String, clientNonce: String = "fyko+d2lbbFgONRv9qkxdawL") {
        self.user = user
        self.password = password
        self.clientNonce = clientNonce
    }

    var clientFirstBare: String { "n=\(user),r=\(clientNonce)" }
    var clientFirst: String { gs2Header + clientFirstBare }

    /// The fields of server-first (`r=`, `s=`, `i=`).
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in text.split(separator: ",") {
            guard let eq = part.firstIndex(of: "=") else { continue }
            out[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        return out
    }

    /// client-final for `serverFirst`, remembering the signature the server must send back.
    mutating func clientFinal(serverFirst: String) -> String? {
        self.serverFirst = serverFirst
        let f = Self.fields(serverFirst)
        guard let nonce = f["r"], nonce.hasPrefix(clientNonce), let saltText = f["s"],
              let salt = Data(base64Encoded: saltText), let i = f["i"].flatMap(Int.init) else { return nil }
        let withoutProof = "c=\(Data(gs2Header.utf8).base64EncodedString()),r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let salted = ScramCrypto.hi(password: Array(password.utf8), salt: [UInt8](salt), iterations: i)
        let clientKey = ScramCrypto.hmac(key: salted, Array("Client Key".utf8))
        let storedKey = ScramCrypto.sha256(clientKey)
        let signature = ScramCrypto.hmac(key: storedKey, authMessage)
        let proof = ScramCrypto.xor(clientKey, signature)
        let serverKey = ScramCrypto.hmac(key: salted, Array("Server Key".utf8))
        expectedServerSignature = ScramCrypto.hmac(key: serverKey, authMessage)
        return withoutProof + ",p=" + Data(proof).base64EncodedString()
    }

    /// Whether server-final (`v=…`) proves the server knew the verifier.
    func verify(serverFinal: String) -> Bool {
        guard serverFinal.hasPrefix("v="), let v = Data(base64Encoded: String(serverFinal.dropFirst(2))) else { return false }
        return [UInt8](v) == expectedServerSignature
    }

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static func unb64(_ text: String) -> String? { Data(base64Encoded: text).flatMap { String(data: $0, encoding: .utf8) } }
}
