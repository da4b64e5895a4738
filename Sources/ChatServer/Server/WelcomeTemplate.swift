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

    /// Every line's bytes but the nick, back to back (CR LF included).
    private let bytes: [UInt8]
    /// Per line, where in `bytes` it starts and where the nick goes; a line
    /// ends where the next starts. Plain offsets into one array: a
    /// `[(before: [UInt8], after: [UInt8])]` cost two retains and four
    /// generic appends per line in the churn profile.
    private let lines: [(start: Int, nickAt: Int)]
    var lineCount: Int { lines.count }

    /// - Parameter messages: replies whose first parameter is `nickPlaceholder`.
    init(_ messages: [IRCMessage]) {
        var bytes: [UInt8] = []
        var lines: [(start: Int, nickAt: Int)] = []
        for message in messages {
            let line = message.encoded()  // with CR LF
            let at = line.firstIndex(of: 1)!
            lines.append((bytes.count, bytes.count + at))
            bytes += line[..<at]
            bytes += line[(at + 1)...]
        }
        self.bytes = bytes
        self.lines = lines
    }

    /// Appends every line with `nick` spliced in, each after `prefix`
    /// (e.g. a time tag).
    func write(nick: String, prefix: [UInt8] = [], into out: inout [UInt8]) {
        var nick = nick
        nick.withUTF8 { name in
            bytes.withUnsafeBufferPointer { all in
                for (i, line) in lines.enumerated() {
                    let end = i + 1 < lines.count ? lines[i + 1].start : all.count
                    if !prefix.isEmpty { out += prefix }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: all[line.start..<line.nickAt]))
                    out.append(contentsOf: name)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: all[line.nickAt..<end]))
                }
            }
        }
    }
}
