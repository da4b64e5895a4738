/// One IRCv3 message tag. `value` nil means the tag was sent without `=`.
///
/// Escaping follows the message-tags specification: `\:` `;`, `\s` space,
/// `\\` backslash, `\r` CR, `\n` LF; an unknown escape drops the backslash,
/// and a trailing lone backslash is dropped.
///
/// Thread-safety: a value type; any thread.
public struct IRCTag: Equatable {
    public var key: String
    public var value: String?

    public init(_ key: String, _ value: String?) {
        self.key = key
        self.value = value
    }

    /// Client-only tags start with `+` and are relayed between clients.
    public var isClientOnly: Bool { key.hasPrefix("+") }

    /// The tags of a line's `@…` section. A tag whose key does not follow
    /// the message-tags grammar (`isValidKey`: `+é`, `+a_b`, an empty key)
    /// is left out rather than failing the line: the message itself is
    /// good, and dropping it would lose it without a word (and a labelled
    /// one without its response). Nothing malformed is relayed.
    static func parseList(_ bytes: UnsafeRawBufferPointer) throws -> [IRCTag] {
        var tags: [IRCTag] = []
        for raw in bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
            let parts = raw.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard isValidKey(parts[0]) else { continue }
            let key = String(decoding: parts[0], as: UTF8.self)
            let value = parts.count > 1 ? unescape(parts[1]) : nil
            // The last occurrence of a key wins.
            if let index = tags.firstIndex(where: { $0.key == key }) { tags.remove(at: index) }
            tags.append(IRCTag(key, value))
        }
        return tags
    }

    /// `[ "+" ] [ vendor "/" ] key_name`: a vendor is a host name (letters,
    /// digits, `-`, `.`), a key name one or more letters, digits and `-`.
    static func isValidKey<S: Collection>(_ key: S) -> Bool where S.Element == UInt8 {
        var rest = key[...]
        if rest.first == UInt8(ascii: "+") { rest = rest.dropFirst() }
        var name = rest
        if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
            let vendor = rest[..<slash]
            name = rest[rest.index(after: slash)...]
            guard !vendor.isEmpty, vendor.allSatisfy({ isNameByte($0) || $0 == UInt8(ascii: ".") }) else { return false }
        }
        return !name.isEmpty && name.allSatisfy(isNameByte)
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b == UInt8(ascii: "-")
    }

    static func unescape<S: Collection>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaping = false
        for b in bytes {
            if escaping {
                switch b {
                case UInt8(ascii: ":"): out.append(UInt8(ascii: ";"))
                case UInt8(ascii: "s"): out.append(0x20)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "n"): out.append(0x0A)
                default: out.append(b)  // "\\" gives "\", unknown escapes drop the backslash
                }
                escaping = false
            } else if b == UInt8(ascii: "\\") {
                escaping = true
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func escape(_ value: String, into out: inout [UInt8]) {
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: ";"): out += [UInt8(ascii: "\\"), UInt8(ascii: ":")]
            case 0x20: out += [UInt8(ascii: "\\"), UInt8(ascii: "s")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            default: out.append(b)
            }
        }
    }

    static func encodeList(_ tags: [IRCTag], into out: inout [UInt8]) {
        for (i, tag) in tags.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ";")) }
            out.append(contentsOf: tag.key.utf8)
            if let value = tag.value, !value.isEmpty {
                out.append(UInt8(ascii: "="))
                escape(value, into: &out)
            }
        }
    }
}

extension IRCTag {
    /// What a bot's messages carry (IRCv3 bot-mode): the ratified `bot` tag,
    /// and `draft/bot` as well for clients (and suites) written against the
    /// draft, as InspIRCd sent both tags during its own transition.
    static let botTags = [IRCTag("bot", nil), IRCTag("draft/bot", nil)]
}
