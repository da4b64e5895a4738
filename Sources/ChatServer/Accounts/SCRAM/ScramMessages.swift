import Foundation

/// The client's two SCRAM messages (RFC 5802 §7), parsed.
///
/// Thread-safety: value types; any thread.
struct ScramClientFirst: Equatable {
    /// The GS2 header as sent (`n,,` or `y,,`, with `a=` when given): the
    /// final message's `c=` must carry exactly these bytes.
    var gs2Header: String
    var authorizationID: String?
    var username: String
    var nonce: String
    /// `n=…,r=…[,…]`: part of the AuthMessage both sides sign.
    var bare: String

    /// nil when malformed, or when it asks for channel binding (`p=`: this
    /// server offers no SCRAM-SHA-256-PLUS) or a mandatory extension (`m=`).
    init?(_ text: String) {
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "n" || parts[0] == "y" else { return nil }
        if parts[1].isEmpty {
            authorizationID = nil
        } else {
            guard parts[1].hasPrefix("a="), let name = Self.saslName(parts[1].dropFirst(2)), !name.isEmpty else { return nil }
            authorizationID = name
        }
        gs2Header = "\(parts[0]),\(parts[1]),"
        bare = String(parts[2])
        let fields = bare.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 2, fields[0].hasPrefix("n="), fields[1].hasPrefix("r="),
              let user = Self.saslName(fields[0].dropFirst(2)), !user.isEmpty else { return nil }
        let nonce = fields[1].dropFirst(2)
        guard !nonce.isEmpty, Self.isPrintable(nonce) else { return nil }
        username = user
        self.nonce = String(nonce)
    }

    /// `=2C` is a comma and `=3D` an equals sign; any other `=` is an error.
    static func saslName(_ text: Substring) -> String? {
        guard text.contains("=") else { return String(text) }
        var out = ""
        var rest = text[...]
        while let eq = rest.firstIndex(of: "=") {
            out += rest[..<eq]
            let code = rest[rest.index(after: eq)...].prefix(2)
            switch code {
            case "2C": out += ","
            case "3D": out += "="
            default: return nil
            }
            rest = rest[rest.index(eq, offsetBy: 3)...]
        }
        return out + rest
    }

    /// RFC 5802's `printable`: %x21-2B / %x2D-7E (no comma).
    static func isPrintable(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: ",") }
    }
}

struct ScramClientFinal: Equatable {
    /// The base64 channel-binding input (`c=`).
    var channelBinding: String
    var nonce: String
    var proof: [UInt8]
    /// Everything before `,p=`: part of the AuthMessage.
    var withoutProof: String

    init?(_ text: String) {
        guard let range = text.range(of: ",p=", options: .backwards) else { return nil }
        withoutProof = String(text[..<range.lowerBound])
        guard let proof = Self.decodeBase64(String(text[range.upperBound...])), proof.count == ScramCrypto.digestLength else { return nil }
        self.proof = proof
        let fields = withoutProof.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 2, fields[0].hasPrefix("c="), fields[1].hasPrefix("r=") else { return nil }
        channelBinding = String(fields[0].dropFirst(2))
        nonce = String(fields[1].dropFirst(2))
    }

    static func decodeBase64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }
}
