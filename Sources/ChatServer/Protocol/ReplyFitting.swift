/// Keeps a reply the server makes within `LINELEN` (512 bytes with CR LF,
/// tags aside, RFC 2812 §2.3) when it echoes what a client sent: a numeric
/// or a `FAIL` naming an 80-target list, a 400-byte nick or channel name
/// would otherwise pass it. The longest parameter is shortened first (at a
/// character's end, to at least one character): that is the echo, while
/// the numeric, the nick and the short words around it stay whole.
///
/// Thread-safety: stateless; any thread.
enum ReplyFitting {
    /// Shortens `params` until `fixedBytes` plus the parameters (each with
    /// its space, and a colon allowed for on the last) fit in `limit`.
    static func fit(_ params: inout [String], fixedBytes: Int, limit: Int) {
        var total = fixedBytes + 1
        for p in params { total += 1 + p.utf8.count }
        guard total > limit else { return }
        for _ in 0..<params.count {
            guard total > limit,
                  let longest = params.indices.max(by: { params[$0].utf8.count < params[$1].utf8.count }) else { return }
            let size = params[longest].utf8.count
            guard size > 1 else { return }
            let cut = NameRules.truncate(params[longest], maxBytes: max(1, size - (total - limit)))
            let kept = cut.isEmpty ? String(params[longest].prefix(1)) : cut
            total -= size - kept.utf8.count
            params[longest] = kept
        }
    }

    /// A numeric, `:server NNN nick params… [:trailing]`, fitted.
    static func fitNumeric(_ params: inout [String], trailing: inout String?, serverName: String, nick: String, limit: Int) {
        // `:server NNN nick` and CR LF around the parameters.
        let fixed = 1 + serverName.utf8.count + 5 + nick.utf8.count + 2
        guard fixed + params.reduce(0, { $0 + 1 + $1.utf8.count }) + (trailing.map { 2 + $0.utf8.count } ?? 0) > limit else { return }
        var all = params + (trailing.map { [$0] } ?? [])
        fit(&all, fixedBytes: fixed, limit: limit)
        if trailing != nil { trailing = all.removeLast() }
        params = all
    }

    /// A message of the server's own (`FAIL …`), fitted.
    static func fitMessage(_ message: inout IRCMessage, limit: Int) {
        let fixed = 1 + (message.source?.utf8.count ?? 0) + 1 + message.command.utf8.count + 2
        fit(&message.params, fixedBytes: fixed, limit: limit)
    }
}
