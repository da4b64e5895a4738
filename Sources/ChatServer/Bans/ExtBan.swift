/// A channel-list entry, as written in MODE: a `nick!user@host` mask or an
/// extended ban (`EXTBAN=$,am`, `ACCOUNTEXTBAN=a`):
///
/// - `$a` — anyone logged in to an account; `$a:<glob>` — accounts matching
///   the glob (case-insensitively, like nicks);
/// - `$m:<mask>` — a mute: someone matching `<mask>` (a hostmask or an
///   `$a` form) may join but not speak; as `+e`/`+I` it means the same as `<mask>`.
///
/// Parsed once when the entry is set (`parse` refuses unknown types), so
/// matching a line is a glob per entry and no allocation.
///
/// Thread-safety: a value type; any thread.
public enum ExtBan: Equatable {
    case hostmask(String)
    /// nil: any account.
    case account(String?)
    indirect case mute(ExtBan)

    /// The ISUPPORT values.
    static let prefix: Character = "$"
    static let types = "am"
    static let accountType = "a"

    /// Why a mask was refused (the 696 text).
    enum ParseError: Error, Equatable {
        case unknownType(String)
        case empty

        var text: String {
            switch self {
            case .unknownType(let t): return "Unknown extended ban type \(t); this server knows $a and $m"
            case .empty: return "Extended ban needs a value"
            }
        }
    }

    /// The entry in its stored form: hostmasks get all three parts
    /// (`bob` → `bob!*@*`), extbans keep their letter and value.
    static func parse(_ raw: String) throws -> (entry: ExtBan, normalized: String) {
        guard raw.first == prefix else {
            let mask = normalizeHostmask(raw)
            return (.hostmask(mask), mask)
        }
        let body = raw.dropFirst()
        let type = body.prefix(1)
        let rest = body.dropFirst()
        switch type {
        case "a":
            if rest.isEmpty { return (.account(nil), "$a") }
            guard rest.first == ":", rest.count > 1 else { throw ParseError.empty }
            let glob = String(rest.dropFirst())
            return (.account(glob), "$a:" + glob)
        case "m":
            guard rest.first == ":", rest.count > 1 else { throw ParseError.empty }
            let inner = String(rest.dropFirst())
            // One level only: `$m:$m:x` is refused rather than nested.
            guard !inner.hasPrefix("$m") else { throw ParseError.unknownType("$m:$m") }
            let (entry, normalized) = try parse(inner)
            return (.mute(entry), "$m:" + normalized)
        default:
            throw ParseError.unknownType("$" + type)
        }
    }

    /// Whether `client` matches, ignoring whether this is a mute.
    func matches(_ client: Client) -> Bool {
        switch self {
        case .hostmask(let mask): return CaseMapping.globMatch(mask, client.mask)
        case .account(nil): return client.account != nil
        case .account(let glob?):
            guard let account = client.account else { return false }
            return CaseMapping.globMatch(glob, account)
        case .mute(let inner): return inner.matches(client)
        }
    }

    var isMute: Bool { if case .mute = self { return true } else { return false } }

    /// "bob" → "bob!*@*", "*@host" → "*!*@host": masks always have all three parts.
    static func normalizeHostmask(_ mask: String) -> String {
        var nick = mask, user = "*", host = "*"
        if let at = mask.firstIndex(of: "@") {
            host = String(mask[mask.index(after: at)...])
            nick = String(mask[..<at])
        }
        if let bang = nick.firstIndex(of: "!") {
            user = String(nick[nick.index(after: bang)...])
            nick = String(nick[..<bang])
        }
        return "\(nick.isEmpty ? "*" : nick)!\(user.isEmpty ? "*" : user)@\(host.isEmpty ? "*" : host)"
    }
}
