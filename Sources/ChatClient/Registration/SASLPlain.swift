import Foundation

/// The SASL PLAIN payload (RFC 4616: authzid NUL authcid NUL password),
/// base64, cut into the 400-byte AUTHENTICATE pieces IRCv3 requires; a
/// payload that is an exact multiple of 400 ends with a lone `+`.
///
/// Thread-safety: pure; any thread.
public enum SASLPlain {
    public static func authenticateParams(account: String, password: String) -> [String] {
        let raw = Data((account + "\u{0}" + account + "\u{0}" + password).utf8)
        return pieces(of: raw.base64EncodedString())
    }

    /// Base64 text cut into AUTHENTICATE pieces (SCRAM's messages too).
    public static func pieces(of encoded: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(400)))
            rest = rest.dropFirst(400)
        }
        if pieces.isEmpty || pieces.last!.utf8.count == 400 { pieces.append("+") }
        return pieces
    }
}
