import CoreLoop

/// Telling people a file was shared: a PRIVMSG from the uploader that every
/// IRC client shows, with the file id in its text and in a `chatd/file`
/// tag for clients that read tags, and the uploader's account in an
/// `account` tag for clients with `account-tag`, as on any message from a
/// logged-in user. Channel notices are kept in history.
extension FileSharing {
    /// The tag message-tags clients see on a share notice.
    static let tagKey = "chatd/file"

    /// `alice shared notes.txt (2.1 kB, sha256 3f2a9c1e…) — FILE GET 17`
    static func noticeText(_ record: FileRecord) -> String {
        "\(record.uploaderNick) shared \(record.filename) (\(humanSize(record.size)), sha256 \(record.sha256.prefix(8))…) — FILE GET \(record.id)"
    }

    /// Sizes as people read them: `812 B`, `2.1 kB`, `1.0 MB` (powers of 1000).
    static func humanSize(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// A stored file's notice: to the channel (and its history), or to the
    /// two people of a private share who are online.
    func announce(_ record: FileRecord) {
        let text = Self.noticeText(record)
        let tags = [IRCTag("msgid", server.msgids.next()), IRCTag(Self.tagKey, String(record.id))]
        if record.kind == .channel {
            guard let channel = server.channel(named: record.target) else { return }  // emptied meanwhile: FILE LIST still shows it
            let now = server.wallNow()
            let message = IRCMessage(source: record.uploaderMask, command: "PRIVMSG", params: [channel.name, text])
            let account = uploaderAccount(record)
            server.history?.record(channel: channel, source: record.uploaderMask, account: account, command: "PRIVMSG",
                                   text: text, msgid: tags[0].value ?? "", timeMillis: now.millis)
            var fanout = Fanout(message, tags: tags, time: now.text, account: account)
            for member in channel.members.values {
                member.client.transport.send(fanout.chunk(for: member.client.caps))
            }
            server.stats.linesOut += UInt64(channel.members.count)
            return
        }
        let recipients = onlineRecipients(kind: record.kind, key: record.targetKey)
        for client in recipients { sendPrivateNotice(record, to: client, tags: tags) }
        // The uploader's own copy, like echo-message, so the share shows in their query too.
        for client in server.clients.all where client.isRegistered && uploaderKey(client) == record.uploaderKey
            && !recipients.contains(where: { $0 === client }) {
            sendNotice(record, text: text, target: record.target, to: client, tags: tags)
        }
        if record.kind == .account && !recipients.isEmpty, let services = server.services {
            let storage = services.storage
            services.writer.offload({ try storage.markDelivered([record.id]) }) { _ in }
        }
    }

    /// A private share's notice to its recipient (addressed to their current nick).
    func sendPrivateNotice(_ record: FileRecord, to client: Client, tags: [IRCTag]? = nil) {
        let tags = tags ?? [IRCTag("msgid", server.msgids.next()), IRCTag(Self.tagKey, String(record.id))]
        sendNotice(record, text: Self.noticeText(record), target: client.nick, to: client, tags: tags)
    }

    /// The account for the notice's `account` tag. A record read back from the
    /// database (a delayed private share) has only the folded key, which names
    /// an account when the uploader was logged in (uploads need an account
    /// unless `files.requireAccount` is off).
    func uploaderAccount(_ record: FileRecord) -> String? {
        if let account = record.uploaderAccount { return account }
        guard settings.requireAccount else { return nil }
        return server.accounts.registeredName(record.uploaderKey)
    }

    private func sendNotice(_ record: FileRecord, text: String, target: String, to client: Client, tags: [IRCTag]) {
        var fanout = Fanout(IRCMessage(source: record.uploaderMask, command: "PRIVMSG", params: [target, text]),
                            tags: tags, time: server.currentTime(), account: uploaderAccount(record))
        client.transport.send(fanout.chunk(for: client.caps))
        server.stats.linesOut += 1
    }
}
