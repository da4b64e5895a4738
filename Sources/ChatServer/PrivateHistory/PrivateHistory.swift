/// Private-message history: a PRIVMSG or NOTICE that involves at least one
/// logged-in user is stored like a channel message, under a key made of the
/// two sides, so both read the same conversation with `CHATHISTORY <nick> …`
/// and nobody else can name it. A side that is logged in is its account; a
/// guest is its nick behind `guestMark` (which no account name contains), so
/// the account holder keeps what a guest said to it, and a guest, who has no
/// account to prove who it is, reads nothing back. Between two guests
/// nothing is kept. A guest's conversation is found by the guest's nick
/// while that nick is online (`conversation(of:with:)`).
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
    /// Marks a guest (a nick, not an account) in a conversation key.
    static let guestMark = "!"

    init(server: IRCServer) { self.server = server }

    /// The history key of the conversation between two folded account
    /// names: the same whichever side sends. Channel keys start with a
    /// channel prefix, so they never collide with it.
    static func key(_ a: String, _ b: String) -> String {
        a <= b ? keyPrefix + a + " " + b : keyPrefix + b + " " + a
    }

    /// The two sides of a conversation key (folded accounts, or guests
    /// behind `guestMark`); nil for a channel's key.
    static func accounts(in key: String) -> (String, String)? {
        guard key.hasPrefix(keyPrefix) else { return nil }
        let parts = key.dropFirst(keyPrefix.count).split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// A side of a conversation: the folded account, or for a guest the
    /// folded nick behind `guestMark`; and the name to show for it.
    static func party(_ client: Client) -> (folded: String, name: String) {
        if let account = client.account { return (CaseMapping.fold(account), account) }
        return (guestMark + client.foldedNick, client.nick)
    }

    /// Keeps a message `sender` sent to `recipient` (as `target`), if either is logged in.
    func record(from sender: Client, to recipient: Client, target: String, command: String, text: String,
                msgid: String, timeMillis: Int64, tags: String? = nil) {
        guard let history = server.history, sender.account != nil || recipient.account != nil,
              CTCPText.isKeptInHistory(text) else { return }
        let a = Self.party(sender), b = Self.party(recipient)
        let key = Self.key(a.folded, b.folded)
        remember(PrivateConversation(key: key, first: a.folded, firstName: a.name, second: b.folded, secondName: b.name))
        history.record(key: key, target: target, source: sender.mask, account: sender.account, command: command,
                       text: text, msgid: msgid, timeMillis: timeMillis, tags: tags)
    }

    /// `record` for a relayed PRIVMSG/NOTICE (or a TAGMSG worth keeping,
    /// `EventPlayback`), its msgid taken from `tags`.
    func record(_ message: IRCMessage, from sender: Client, to recipient: Client, tags: [IRCTag], timeMillis: Int64) {
        // Most private messages are between guests: they cost two nil checks.
        guard sender.account != nil || recipient.account != nil, let target = message.params.first,
              let msgid = tags.first(where: { $0.key == "msgid" })?.value else { return }
        let isTagmsg = message.command == "TAGMSG"
        guard isTagmsg ? EventPlayback.keepsTagmsg(tags) : message.params.count > 1 else { return }
        record(from: sender, to: recipient, target: target, command: message.command,
               text: isTagmsg ? "" : message.params[1], msgid: msgid, timeMillis: timeMillis,
               tags: EventPlayback.storedTags(tags))
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
    /// online (its account, or the guest), otherwise taken as an account name.
    func conversation(of client: Client, with nick: String) -> String? {
        guard let own = client.account, NameRules.isValidNick(nick, maxLength: server.limits.nickLength) else { return nil }
        return Self.key(CaseMapping.fold(own), peer(named: nick))
    }

    /// The side `nick` stands for in a conversation key: the online user's
    /// account or guest mark, otherwise `nick` taken as an account name.
    func peer(named nick: String) -> String {
        server.client(named: nick).map { Self.party($0).folded } ?? CaseMapping.fold(nick)
    }

    /// The channels `client` is in and, if logged in, the people it talked to,
    /// whose newest message falls strictly between the two times (a target
    /// with a message after the window is not listed: it is not what the
    /// window asks for, as the irctest suite and Ergo read the
    /// specification); at most `limit`, in the direction of the two times
    /// ("forwards or backwards in time"): the oldest first if `from` < `to`,
    /// else the newest first (what a new device asks with `now` first).
    func targets(of client: Client, from: Int64, to: Int64, limit: Int, done: @escaping ([HistoryTarget]) -> Void) {
        guard let services = server.services, let history = server.history else { return done([]) }
        let (after, before) = (min(from, to), max(from, to))
        let account = client.account.map(CaseMapping.fold)
        var channels: [String: String] = [:]
        for (folded, channel) in client.channels { channels[folded] = channel.name }
        let isTarget: (StoredMessage) -> Bool = { m in
            if channels[m.channel] != nil { return true }
            guard let account, let pair = Self.accounts(in: m.channel) else { return false }
            return pair.0 == account || pair.1 == account
        }
        // Unwritten messages taken now and when the read returns, as `HistoryReads.fetch` does.
        let unwrittenAtStart = history.unwritten(where: isTarget)
        let storage = services.storage
        services.readers.offload({
            try storage.historyTargets(account: account, channels: channels)
        }, completion: { [weak self] result in
            guard let self else { return }
            if case .failure(let error) = result { self.server.logger.error("history targets read failed: \(error)") }
            var found: [String: HistoryTarget] = [:]
            for t in (try? result.get()) ?? [] { found[t.key] = t }
            for m in unwrittenAtStart + history.unwritten(where: isTarget) {
                if let known = found[m.channel] {
                    found[m.channel]?.lastMillis = max(known.lastMillis, m.timeMillis)
                } else {
                    found[m.channel] = HistoryTarget(key: m.channel, name: channels[m.channel] ?? Self.peer(in: m.channel, of: account),
                                                     lastMillis: m.timeMillis)
                }
            }
            let sorted = found.values.filter { $0.lastMillis > after && $0.lastMillis < before }
                .sorted { ($0.lastMillis, $0.name) < ($1.lastMillis, $1.name) }
            done(from <= to ? Array(sorted.prefix(limit)) : Array(sorted.suffix(limit).reversed()))
        })
    }

    /// The other side of a conversation key (folded), for conversations not
    /// yet listed in the database.
    private static func peer(in key: String, of account: String?) -> String {
        guard let pair = accounts(in: key) else { return key }
        let peer = pair.0 == account ? pair.1 : pair.0
        return peer.hasPrefix(guestMark) ? String(peer.dropFirst(guestMark.count)) : peer
    }
}
