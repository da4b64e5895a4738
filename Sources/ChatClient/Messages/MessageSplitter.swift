/// Cuts text typed or piped into `chat` into messages that each fit one
/// line as the server relays it: `:nick!user@host PRIVMSG <target> :<text>`
/// and CR LF within the server's `LINELEN` (512 unless it says otherwise).
/// A longer line would be refused (417) or cut by the server.
///
/// Pieces end at a space when one falls in the second half of the room
/// (the space stays at the piece's end, so the words join up again in a
/// log), else at a character's end (never inside a UTF-8 sequence or a
/// grapheme).
///
/// Thread-safety: stateless; any thread.
public enum MessageSplitter {
    /// The room a source is given while ours is unknown (before our first
    /// JOIN echo): a nick, `!`, a user name of up to 11 and `@`, and a host
    /// of up to 63 bytes.
    static func assumedSource(nick: String) -> Int { nick.utf8.count + 1 + 11 + 1 + 63 }

    /// - Parameters:
    ///   - sourceBytes: the length of our `nick!user@host` as others see it.
    ///   - action: the pieces go out as `\u{1}ACTION …\u{1}` (9 bytes more each).
    public static func split(_ text: String, command: String = "PRIVMSG", target: String, sourceBytes: Int,
                             action: Bool = false, lineLength: Int = 512) -> [String] {
        let overhead = 1 + sourceBytes + 1 + command.utf8.count + 1 + target.utf8.count + 2 + 2 + (action ? 9 : 0)
        let room = max(16, lineLength - overhead)
        var pieces: [String] = []
        var rest = Substring(text)
        while rest.utf8.count > room {
            var size = 0
            var end = rest.startIndex
            var lastSpace: String.Index?
            for index in rest.indices {
                let width = rest[index].utf8.count
                guard size + width <= room else { break }
                size += width
                end = rest.index(after: index)
                if rest[index] == " " { lastSpace = end }
            }
            if end == rest.startIndex {
                // One grapheme wider than the room: cut between its scalars
                // (a String index there is not a Character's, so the scalar
                // views are sliced, not the text).
                var scalarBytes = 0
                let scalars = rest.unicodeScalars
                let cut = scalars.prefix { scalar in
                    scalarBytes += String(scalar).utf8.count
                    return scalarBytes <= room
                }.endIndex
                pieces.append(String(scalars[..<cut]))
                rest = Substring(scalars[cut...])
                continue
            }
            if let lastSpace, rest[rest.startIndex..<lastSpace].utf8.count >= room / 2 { end = lastSpace }
            pieces.append(String(rest[..<end]))
            rest = rest[end...]
        }
        if !rest.isEmpty || pieces.isEmpty { pieces.append(String(rest)) }
        return pieces
    }

    /// The server's `LINELEN`, or 512.
    public static func lineLength(_ isupport: ISupport) -> Int {
        isupport.tokens["LINELEN"].flatMap { Int($0) }.map { max(64, $0) } ?? 512
    }
}
