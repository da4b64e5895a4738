import CoreLoop

/// Reading channel history back: fetching slices of it (stored, merged with
/// what the recorder has not written yet), resolving `msgid=`/`timestamp=`
/// references, and sending messages as a `chathistory` batch: to CHATHISTORY
/// (Commands/HistoryCommands) and as the replay on JOIN. Recording is
/// `HistoryRecorder`'s; private conversations are keyed by `PrivateHistory`
/// and read through here too.
///
/// Thread-safety: loop thread only; reads run on the storage reader pool
/// and their completions come back on the loop.
final class HistoryReads {
    private unowned let server: IRCServer

    init(server: IRCServer) { self.server = server }

    /// Fetches on a worker, merges with unwritten messages on the loop.
    ///
    /// What is unwritten is taken both now and when the read returns: a batch
    /// the writer commits after the read's snapshot but reports before the
    /// read's answer is in neither the rows read nor the later set, only in
    /// this one. (The merge removes what appears twice.)
    func fetch(_ query: HistoryQuery, done: @escaping ([StoredMessage]) -> Void) {
        guard let services = server.services, let history = server.history else { return done([]) }
        let storage = services.storage
        let unwrittenAtStart = history.unwritten(where: query.matches)
        services.readers.offload({ try storage.messages(query) }, completion: { [weak self] result in
            guard let self else { return }
            if case .failure(let error) = result { self.server.logger.error("history read failed: \(error)") }
            let stored = (try? result.get()) ?? []
            done(query.merge(stored, unwrittenAtStart + history.unwritten(where: query.matches)))
        })
    }

    /// Resolves a `msgid=` or `timestamp=` reference; nil if it names nothing.
    func resolve(_ text: String, channel: String, done: @escaping (HistoryQuery.Bound?) -> Void) {
        if text.hasPrefix("timestamp=") {
            return done(ServerTime.parse(String(text.dropFirst(10))).map { .time($0) })
        }
        guard text.hasPrefix("msgid="), let services = server.services else { return done(nil) }
        let msgid = String(text.dropFirst(6))
        if let m = server.history?.unwritten(where: { $0.msgid == msgid && $0.channel == channel }).first {
            return done(.seq(m.seq))
        }
        let storage = services.storage
        services.readers.offload({ try storage.seq(ofMsgid: msgid, channel: channel) }, completion: { result in
            done((try? result.get() ?? nil).map { .seq($0) })
        })
    }

    /// Sends history to `client` at once, in the richest form it can read
    /// (`HistoryForm`): the replay on JOIN, a few lines at most.
    func send(_ messages: [StoredMessage], target: String, to client: Client) {
        guard client.state != .quitting else { return }
        let form = HistoryForm(caps: client.caps, forceBatch: false, batchID: { self.server.msgids.next() })
        open(form, target: target, to: client)
        for m in messages where form.shows(m) { write(m, form, to: client) }
        close(form, to: client)
    }

    /// Sends CHATHISTORY's answer: the batch as the client's socket drains
    /// (`PacedReplies`). A limit of thousands of multiline messages with
    /// client tags could pass the send queue if it were queued in one go.
    func answer(_ messages: [StoredMessage], target: String, to client: Client) {
        guard client.state != .quitting else { return }
        let form = HistoryForm(caps: client.caps, forceBatch: true, batchID: { self.server.msgids.next() })
        open(form, target: target, to: client)
        server.pacedReplies.send(PacedReply(messages.filter(form.shows), line: { server, client, m in
            server.historyReads.write(m, form, to: client)
        }, end: { server, client in
            server.historyReads.close(form, to: client)
        }), to: client)
    }

    private func open(_ form: HistoryForm, target: String, to client: Client) {
        guard let id = form.batchID else { return }
        server.send(client, IRCMessage(source: server.serverName, command: "BATCH", params: ["+" + id, "chathistory", target]))
    }

    private func close(_ form: HistoryForm, to client: Client) {
        guard let id = form.batchID else { return }
        server.send(client, IRCMessage(source: server.serverName, command: "BATCH", params: ["-" + id]))
    }

    /// One stored message (or event) as `form` says.
    private func write(_ m: StoredMessage, _ form: HistoryForm, to client: Client) {
        let caps = form.caps
        let isTagmsg = m.command == "TAGMSG", isMessage = m.command == "PRIVMSG" || m.command == "NOTICE"
        if isMessage && MultilineText.isMultiline(m.text, maxLineLength: server.limits.maxLineLength) {
            var out: [UInt8] = []
            MultilineHistory.encode(m, caps: caps, outerBatch: form.batchID,
                                    newBatchID: { self.server.msgids.next() }, into: &out)
            client.transport.send(ByteChunk(out))
        } else if form.timed {
            var tags = form.batchID.map { [IRCTag("batch", $0)] } ?? []
            tags.append(IRCTag("time", ServerTime.format(millis: m.timeMillis)))
            if caps.contains(.messageTags) { tags.append(IRCTag("msgid", m.msgid)) }
            if let account = m.account, caps.contains(.accountTag) { tags.append(IRCTag("account", account)) }
            var line = [UInt8(ascii: "@")]
            IRCTag.encodeList(tags, into: &line)
            // The client-only tags, kept encoded as they came (EventPlayback.storedTags).
            if let stored = m.tags, caps.contains(.messageTags) { line.append(UInt8(ascii: ";")); line += stored.utf8 }
            line.append(0x20)
            line += IRCMessage(source: m.source, command: m.command, params: isTagmsg ? [m.target] : [m.target, m.text]).encoded()
            client.transport.send(ByteChunk(line))
        } else if !isMessage {
            // An event (TOPIC) as it happened: a stamp would change the topic it shows.
            client.transport.send(ByteChunk(IRCMessage(source: m.source, command: m.command, params: [m.target, m.text]).encoded()))
        } else {
            let stamp = ServerTime.format(millis: m.timeMillis).prefix(19).replacingOccurrences(of: "T", with: " ")
            client.transport.send(ByteChunk(IRCMessage(source: m.source, command: m.command,
                                                       params: [m.target, CTCPText.stamped(m.text, stamp: stamp)]).encoded()))
        }
    }

    /// The last messages of `channel`, sent to a client that just joined it.
    /// Not held as part of the JOIN's answer (`LaterAnswers`): the client is
    /// a member already, so the channel's live traffic reaches it while the
    /// read runs, and a labelled JOIN held open would arrive after it (a
    /// KICK before one's own JOIN). The replay follows, unlabelled.
    func replay(_ channel: Channel, to client: Client) {
        let count = server.config.history.replayOnJoin
        guard count > 0, let history = server.history else { return }
        // Only what was said before the join: the read is asynchronous, and
        // newer lines reach the client live.
        let query = HistoryQuery(channel: channel.folded, before: .seq(history.nextSeq), limit: count, newestFirst: true,
                                 events: client.caps.contains(.eventPlayback))
        fetch(query) { [weak self, clientID = client.id] messages in
            guard let self, let client = self.server.clients[clientID], !messages.isEmpty else { return }
            self.send(messages, target: channel.name, to: client)
        }
    }
}
