/// The server's `005` tokens the client uses: channel prefixes, member
/// prefixes, and whether the FILE and SCORES extensions are offered.
///
/// Thread-safety: a value type; any thread.
public struct ISupport: Equatable {
    public var tokens: [String: String] = [:]

    public init() {}

    /// Adds the tokens of one `005` line (`<nick> TOKEN[=value]… :are supported`).
    public mutating func add(params: [String]) {
        for token in params.dropFirst().dropLast() {
            if token.hasPrefix("-") { tokens[String(token.dropFirst())] = nil; continue }
            let parts = token.split(separator: "=", maxSplits: 1)
            guard let key = parts.first, !key.isEmpty else { continue }
            tokens[String(key)] = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    public var channelTypes: Set<Character> { Set(tokens["CHANTYPES"] ?? "#&") }

    /// The member prefix symbols, `@+` from `PREFIX=(ov)@+`.
    public var memberPrefixes: Set<Character> {
        guard let value = tokens["PREFIX"], let close = value.firstIndex(of: ")") else { return ["@", "+"] }
        return Set(value[value.index(after: close)...])
    }

    public func isChannel(_ name: String) -> Bool {
        guard let first = name.first else { return false }
        return channelTypes.contains(first)
    }

    /// `FILES=<maxBytes>` (issue #11); nil when the server has no FILE extension.
    public var fileLimit: Int? { tokens["FILES"].flatMap { Int($0) } }
    public var hasScores: Bool { tokens["SCORES"] != nil }
}
