import ChatServer

/// Turns the server's messages into `ClientEvent`s: lines to show, and the
/// membership and topic changes a client keeps track of. Pure apart from its
/// own small state (our nick, the 005 tokens, NAMES replies being collected),
/// so it is unit-tested line by line and fuzzed (`Fuzz/FuzzClientLines`).
///
/// Thread-safety: a value type, owned by one `ChatConnection`; loop thread.
public struct MessageDecoder {
    public var nick: String
    public var isupport = ISupport()
    /// Our `nick!user@host` as others see it, from the echo of our own JOIN
    /// (nil until then): how long our messages' source is (`MessageSplitter`).
    public private(set) var selfSource: String?
    /// NAMES replies being collected, by folded channel name; bounded.
    private var pendingNames: [String: [String]] = [:]
    static let maxPendingNames = 10_000

    public init(nick: String) { self.nick = nick }

    func isMe(_ name: String?) -> Bool { name.map { $0.lowercased() == nick.lowercased() } ?? false }

    /// The nick part of a message source (`nick!user@host` → `nick`).
    public static func nickOf(_ source: String?) -> String? {
        guard let source else { return nil }
        return String(source.prefix { $0 != "!" && $0 != "@" })
    }

    /// Decodes `m`, which arrived at `nowMillis` (used when it has no `time` tag).
    public mutating func decode(_ m: IRCMessage, nowMillis: Int64, isHistory: Bool = false) -> [ClientEvent] {
        let time = m.tag("time").flatMap(IRCTime.parse) ?? nowMillis
        let from = Self.nickOf(m.source)
        // A copy: the nested function below must not read `self` while a mutating call runs.
        let me = nick.lowercased()
        func isMe(_ name: String?) -> Bool { name?.lowercased() == me }
        func line(_ kind: ChatLine.Kind, _ place: ChatLine.Place, _ text: String, sender: String? = from) -> ClientEvent {
            var l = ChatLine(kind: kind, place: place, timeMillis: time, sender: sender, text: text)
            l.isHistory = isHistory
            l.msgid = m.tag("msgid")
            l.isOwn = isMe(sender)
            return .line(l)
        }
        let p = m.params
        switch m.command {
        case "PRIVMSG", "NOTICE":
            guard p.count >= 2 else { return [] }
            let target = p[0]
            // A channel message lives in the channel; a private one in a window named
            // after the other person (the target if we sent it, via echo-message).
            let place: ChatLine.Place
            if isupport.isChannel(target) || (target.first.map { isupport.memberPrefixes.contains($0) } ?? false) {
                place = .window(isupport.isChannel(target) ? target : String(target.dropFirst()))
            } else if from == nil || (m.source ?? "").contains(".") && !(m.source ?? "").contains("!") {
                place = .server  // a server notice
            } else {
                place = .window(isMe(from) ? target : from!)
            }
            var text = p[1]
            var kind: ChatLine.Kind = m.command == "NOTICE" ? .notice : .message
            if text.hasPrefix("\u{1}") {
                let body = text.dropFirst().prefix { $0 != "\u{1}" }
                guard body.hasPrefix("ACTION") else { return [] }  // other CTCP: not shown
                kind = .action
                text = String(body.dropFirst(6).drop { $0 == " " })
            }
            guard case .line(var l) = line(kind, place, text) else { return [] }
            l.fileID = FileShare.fileID(tags: m.tags, text: text)
            return [.line(l)]
        case "JOIN":
            guard let channel = p.first, let from else { return [] }
            if isMe(from) {
                if let source = m.source, source.contains("!") { selfSource = source }
                return [.joined(channel: channel), line(.join, .window(channel), "You joined \(channel)")]
            }
            return [.memberJoined(channel: channel, nick: from), line(.join, .window(channel), "\(from) joined \(channel)")]
        case "PART":
            guard let channel = p.first, let from else { return [] }
            let reason = p.count > 1 && !p[1].isEmpty ? " (\(p[1]))" : ""
            if isMe(from) { return [.left(channel: channel), line(.part, .window(channel), "You left \(channel)\(reason)")] }
            return [.memberLeft(channel: channel, nick: from), line(.part, .window(channel), "\(from) left\(reason)")]
        case "KICK":
            guard p.count >= 2 else { return [] }
            let reason = p.count > 2 ? " (\(p[2]))" : ""
            let who = from ?? "server"
            if isMe(p[1]) { return [.left(channel: p[0]), line(.kick, .window(p[0]), "\(who) kicked you from \(p[0])\(reason)")] }
            return [.memberLeft(channel: p[0], nick: p[1]), line(.kick, .window(p[0]), "\(who) kicked \(p[1])\(reason)")]
        case "QUIT":
            guard let from else { return [] }
            return [.memberQuit(nick: from, reason: p.first ?? "")]
        case "NICK":
            // An empty nick would make every later line look like ours (fuzzing found it).
            guard let new = p.first, !new.isEmpty, let old = from else { return [] }
            if isMe(old) {
                nick = new
                selfSource = selfSource.map { new + $0.drop { $0 != "!" } }
            }
            return [.nickChanged(old: old, new: new)]
        case "TOPIC":
            guard p.count >= 2 else { return [] }
            return [.topic(channel: p[0], text: p[1]), line(.topic, .window(p[0]), "\(from ?? "server") set the topic: \(p[1])")]
        case "MODE":
            guard p.count >= 2 else { return [] }
            let place: ChatLine.Place = isupport.isChannel(p[0]) ? .window(p[0]) : .server
            return [line(.mode, place, "\(from ?? "server") sets mode \(p.dropFirst().joined(separator: " "))")]
        case "INVITE":
            guard p.count >= 2 else { return [] }
            return [line(.info, .active, "\(from ?? "someone") invites you to \(p[1]) (/join \(p[1]))")]
        case "ERROR":
            return [line(.error, .server, p.last ?? "closing link")]
        case "REDACT":
            guard p.count >= 2, !p[1].isEmpty else { return [] }
            return [.redacted(msgid: p[1], by: from, reason: p.count > 2 ? p[2] : "")]
        case "FAIL", "WARN", "NOTE":
            // FILE and SCORES failures are shown by the transfer or score code that asked.
            guard p.count >= 2, p[0] != "FILE", p[0] != "SCORES" else { return [] }
            return [line(m.command == "FAIL" ? .error : .info, .active, p.last ?? "", sender: nil)]
        case "CAP", "AUTHENTICATE", "PING", "PONG", "BATCH", "TAGMSG", "AWAY", "ACCOUNT", "FILE", "SCORES", "REGISTER", "SETNAME":
            return []
        default:
            return decodeNumeric(m, time: time, line: line)
        }
    }

    private mutating func decodeNumeric(_ m: IRCMessage, time: Int64,
                                        line: (ChatLine.Kind, ChatLine.Place, String, String?) -> ClientEvent) -> [ClientEvent] {
        let p = m.params
        guard m.command.count == 3, let code = Int(m.command) else { return [] }
        let rest = Array(p.dropFirst())  // drop our nick
        let text = rest.joined(separator: " ")
        switch code {
        case 1:
            if let me = p.first, !me.isEmpty { nick = me }
            return [line(.info, .server, rest.last ?? "", nil)]
        case 5:
            isupport.add(params: p)
            return []
        case 331, 332:
            guard rest.count >= 2 else { return [] }
            let topic = code == 332 ? rest[1] : ""
            return [.topic(channel: rest[0], text: topic), line(.topic, .window(rest[0]), code == 332 ? "Topic: \(topic)" : "No topic is set", nil)]
        case 333:
            return []
        case 353:
            guard rest.count >= 3 else { return [] }
            let key = rest[1].lowercased()
            var list = pendingNames[key] ?? []
            if pendingNames[key] == nil && pendingNames.count >= 8 { return [] }  // bounded: a few channels at once
            for name in rest[2].split(separator: " ") where list.count < Self.maxPendingNames {
                // userhost-in-names: keep the nick only.
                list.append(String(name.prefix { $0 != "!" }))
            }
            pendingNames[key] = list
            return []
        case 366:
            guard let channel = rest.first else { return [] }
            let names = pendingNames.removeValue(forKey: channel.lowercased()) ?? []
            return [.names(channel: channel, nicks: names)]
        case 301:
            guard rest.count >= 2 else { return [] }
            return [line(.info, .window(rest[0]), "\(rest[0]) is away: \(rest[1])", nil)]
        case 311:
            guard rest.count >= 5 else { return [] }
            return [line(.info, .active, "\(rest[0]) is \(rest[1])@\(rest[2]) (\(rest.last!))", nil)]
        case 319:
            guard rest.count >= 2 else { return [] }
            return [line(.info, .active, "\(rest[0]) is on \(rest[1])", nil)]
        case 312, 313, 317, 320, 330, 335, 338, 378, 671:
            return [line(.info, .active, text, nil)]
        case 318, 315, 368, 369, 321:
            return []
        case 322:
            guard rest.count >= 3 else { return [] }
            return [line(.info, .active, "\(rest[0])  \(rest[1]) users  \(rest[2])", nil)]
        case 323:
            return [line(.info, .active, "End of channel list", nil)]
        case 305, 306:
            return [line(.info, .active, rest.last ?? "", nil)]
        case 900, 903:
            return [line(.info, .server, rest.last ?? "", nil)]
        case 400...599:
            // Errors answer something the user just did: show them where they are.
            return [line(.error, .active, text, nil)]
        case 265, 266:
            // `<n> <max> :Current local users n, max max`: the text says it all.
            return [line(.info, .server, rest.last ?? text, nil)]
        default:
            // Everything after our nick: 252's and 254's counts, 004's modes
            // and STATS' columns come before (or instead of) any text.
            return [line(.info, .server, text, nil)]
        }
    }
}
