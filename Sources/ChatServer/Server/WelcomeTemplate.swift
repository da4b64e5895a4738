/// Replies that are the same for every client but for the nick (002–005, the
/// MOTD), encoded once around the nick's place. Registration and MOTD copy
/// them with the nick (and any time tag) spliced in instead of building and
/// encoding each message:
/// in the churn profile these lines were the largest part of chatd's
/// user-space work per connection.
///
/// Thread-safety: a value; built and used on the loop thread.
struct WelcomeTemplate {
    /// Stands for the nick while encoding. Not NUL: encoding turns NUL into a
    /// space. SOH may occur later in a line (CTCP), but the nick is the first
    /// parameter, so the first SOH is its place.
    static let nickPlaceholder = "\u{1}"

    /// Each line's bytes before and after the nick (CR LF included).
    private let pieces: [(before: [UInt8], after: [UInt8])]
    var lineCount: Int { pieces.count }

    /// - Parameter messages: replies whose first parameter is `nickPlaceholder`.
    init(_ messages: [IRCMessage]) {
        pieces = messages.map { message in
            let line = message.encoded()  // with CR LF
            let at = line.firstIndex(of: 1)!
            return (Array(line[..<at]), Array(line[(at + 1)...]))
        }
    }

    /// Appends every line with `nick` spliced in, each after `prefix`
    /// (e.g. a time tag).
    func write(nick: String, prefix: [UInt8] = [], into out: inout [UInt8]) {
        for piece in pieces {
            out += prefix
            out += piece.before
            out += nick.utf8
            out += piece.after
        }
    }
}
