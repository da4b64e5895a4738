/// Private-message history: a PRIVMSG or NOTICE between two logged-in users
/// is stored like a channel message, under a key made of the two accounts,
/// so both sides read the same conversation with `CHATHISTORY <nick> …` and
/// nobody else can name it. Messages involving a user who is not logged in
/// are not kept: a guest nick can be taken by someone else afterwards.
///
/// The messages go through the channel history's recorder and writer and
/// obey the same retention (`history.maxAgeDays`, `maxMessagesPerTarget`
/// counts per conversation). The list of whom an account talked to
/// (`privateConversation`) is written once per conversation and run; it is
/// what `CHATHISTORY TARGETS` walks.
///
/// Thread-safety: loop thread only.
final class PrivateHistory {
    private unowned let server: IRCServer
    /// Conversations already saved to `privateConversation` in this run, so
    /// a message costs no extra write; emptied when it reaches `maxRemembered`
    /// (a repeated save is harmless).
    private var saved: Set<String> = []
    static let maxRemembered = 10_000
    static let keyPrefix = "pm:"

    init(server: IRCServer) { self.server = server }

    /// The history key of the conversation between two folded account
    /// names: the same whichever side sends. Channel keys start with a
    /// channel prefix, so they never collide with it.
    static func key(_ a: String, _ b: String) -> String {
        a <= b ? keyPrefix + a + " " + b : keyPrefix + b + " " + a
    }

    /// The folded accounts of a conversation key; nil for a channel's key.
    static func accounts(in key: String) -> (String, String)? {
        guard key.hasPrefix(keyPrefix) else { return nil }
        let parts = key.dropFirst(keyPrefix.count).split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Keeps a message `sender` sent to `recipient` (as `target`), if both are logged in.
    func record(from sender: Client, to recipient: Client, target: String, command: String, text: String,
                msgid: String, timeMillis: Int64) {
        guard let history = server.history, let senderAccount = sender.account,
              let recipientAccount = recipient.account else { return }
        let a = CaseMapping.fold(senderAccount), b = CaseMapping.fold(recipientAccount)
        let key = Self.key(a, b)
        remember(PrivateConversation(key: key, first: a, firstName: senderAccount, second: b, secondName: recipientAccount))
        history.record(key: key, target: target, source: sender.mask, account: senderAccount, command: command,
                       text: text, msgid: msgid, timeMillis: timeMillis)
    }

    /// `record` for a relayed PRIVMSG/NOTICE, its msgid taken from `tags`.
    func record(_ message: IRCMessage, from sender: Client, to recipient: Client, tags: [IRCTag], timeMillis: Int64) {
        // Most private messages involve a guest: they cost two nil checks.
        guard sender.account != nil, recipient.account != nil, message.params.count > 1,
              let msgid = tags.first(where: { $0.key == "msgid" })?.value else { return }
        record(from: sender, to: recipient, target: message.params[0], command: message.command,
               text: message.params[1], msgid: msgid, timeMillis: timeMillis)
    }

    private func remember(_ conversation: PrivateConversation) {
        guard let services = server.services, !saved.contains(conversation.key) else { return }
        if saved.count >= Self.maxRemembered { saved.removeAll(keepingCapacity: true) }
        saved.insert(conversation.key)
        let storage = services.storage
        services.writer.offload({ try storage.savePrivateConversation(conversation) }, completion: { [weak self] result in
            guard let self, case .failure(let error) = result else { return }
            // Forgotten, so the next message of the conversation saves it again.
            self.saved.remove(conversation.key)
            self.server.logger.error("saving private conversation \(conversation.key) failed: \(error)")
        })
    }

    /// The key of `client`'s conversation with `nick`, for CHATHISTORY; nil
    /// if `client` is not logged in. `nick` is the peer's nick now if it is
    /// online and logged in, otherwise taken as an account name.
    func conversation(of client: Client, with nick: String) -> String? {
        guard let own = client.account, NameRules.isValidNick(nick, maxLength: server.limits.nickLength) else { return nil }
        let peer = server.client(named: nick)?.account ?? nick
        return Self.key(CaseMapping.fold(own), CaseMapping.fold(peer))
    }

    /// The channels `client` is in and, if logged in, the people it talked to,
    /// that have messages strictly between the two times; at most `limit`,
    /// in the direction of the two times, as the specification reads
    /// ("forwards or backwards in time"): the oldest first if `from` < `to`,
    /// else the newest first (what a new device asks with `now` first).
    func targets(of client: Client, from: Int64, to: Int64, limit: Int, done: @escaping ([HistoryTarget]) -> Void) {
        guard let services = server.services, let history = server.history else { return done([]) }
        let (after, before) = (min(from, to), max(from, to))
        let account = client.account.map(CaseMapping.fold)
        var channels: [String: String] = [:]
        for (folded, channel) in client.channels { channels[folded] = channel.name }
        let matches: (StoredMessage) -> Bool = { m in
            guard m.timeMillis > after && m.timeMillis < before else { return false }
            if channels[m.channel] != nil { return true }
            guard let account, let pair = Self.accounts(in: m.channel) else { return false }
            return pair.0 == account || pair.1 == account
        }
        // Unwritten messages taken now and when the read returns, as `fetchHistory` does.
        let unwrittenAtStart = history.unwritten(where: matches)
        let storage = services.storage
        services.readers.offload({
            try storage.historyTargets(account: account, channels: channels, afterMillis: after, beforeMillis: before)
        }, completion: { [weak self] result in
            guard let self else { return }
            if case .failure(let error) = result { self.server.logger.error("history targets read failed: \(error)") }
            var found: [String: HistoryTarget] = [:]
            for t in (try? result.get()) ?? [] { found[t.key] = t }
            for m in unwrittenAtStart + history.unwritten(where: matches) {
                if let known = found[m.channel] {
                    found[m.channel]?.lastMillis = max(known.lastMillis, m.timeMillis)
                } else {
                    found[m.channel] = HistoryTarget(key: m.channel, name: channels[m.channel] ?? Self.peer(in: m.channel, of: account),
                                                     lastMillis: m.timeMillis)
                }
            }
            let sorted = found.values.sorted { ($0.lastMillis, $0.name) < ($1.lastMillis, $1.name) }
            done(from <= to ? Array(sorted.prefix(limit)) : Array(sorted.suffix(limit).reversed()))
        })
    }

    /// The other side of a conversation key (folded), for conversations not
    /// yet listed in the database.
    private static func peer(in key: String, of account: String?) -> String {
        guard let pair = accounts(in: key) else { return key }
        return pair.0 == account ? pair.1 : pair.0
    }
}
