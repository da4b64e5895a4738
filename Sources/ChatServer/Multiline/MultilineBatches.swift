import CoreLoop

/// draft/multiline: a client sends `BATCH +ref draft/multiline <target>`,
/// PRIVMSG lines tagged `batch=ref` (`draft/multiline-concat` joins a line
/// to the previous one without a break), then `BATCH -ref`; the server
/// delivers the whole as one message with one msgid (`MultilineFanout`) and
/// keeps it in history as one text (`MultilineText`).
///
/// At most one batch per client is open; it is bounded by `max-bytes` and
/// `max-lines` (`limits.multilineMaxBytes`/`multilineMaxLines`) as lines
/// arrive, and dropped when the client quits. Lines inside a batch give
/// their flood token back (the batch's BATCH lines pay), as the
/// specification expects clients to send a batch at once. labeled-response:
/// the label of the opening BATCH answers the whole batch at its end (on
/// the echo's opening BATCH, or an ACK).
///
/// Thread-safety: loop thread only.
final class MultilineBatches: ServerObserver {
    private unowned let server: IRCServer
    /// Batches being received, by client id.
    private var batches: [UInt64: MultilineAssembly] = [:]

    init(server: IRCServer) { self.server = server }

    var openCount: Int { batches.count }

    func clientQuit(_ client: Client, reason: String) { batches[client.id] = nil }

    // MARK: BATCH

    /// `BATCH +ref type params…` or `BATCH -ref`.
    func batch(_ client: Client, _ message: IRCMessage) {
        let reference = message.params[0]
        let label = LabeledResponse.label(in: message, from: client)
        if reference.hasPrefix("+") {
            let ref = String(reference.dropFirst())
            do {
                try start(client, message, ref: ref, label: label)
            } catch {
                // The rest of the refused batch is dropped, not relayed line by line.
                if !ref.isEmpty {
                    var dropped = MultilineAssembly(ref: ref, target: "", label: nil, clientTags: [])
                    dropped.failed = true
                    batches[client.id] = dropped
                }
                respond(client, label: label) { fail(client, error) }
            }
        } else if reference.hasPrefix("-"), let assembly = batches[client.id], assembly.ref == String(reference.dropFirst()) {
            batches[client.id] = nil
            guard !assembly.failed else { return }
            finish(client, assembly, label: assembly.label ?? label)
        } else {
            respond(client, label: label) {
                fail(client, MultilineFailure(.invalid, [], "No such batch is open"))
            }
        }
    }

    private func start(_ client: Client, _ message: IRCMessage, ref: String, label: String?) throws {
        let p = message.params
        guard p.count >= 2 else { throw IRCError.needMoreParams("BATCH") }
        guard p[1].lowercased() == "draft/multiline" else {
            throw MultilineFailure(.unsupportedType, [p[1]], "Only draft/multiline batches can be sent")
        }
        guard MultilineFanout.isBatched(client.caps) else {
            throw MultilineFailure(.invalid, [], "Negotiate draft/multiline and batch first")
        }
        guard !ref.isEmpty, p.count >= 3, !p[2].isEmpty else {
            throw MultilineFailure(.invalid, [], "Expected BATCH +<ref> draft/multiline <target>")
        }
        // A refused batch still being swallowed gives way to a new one.
        if let existing = batches[client.id], !existing.failed {
            batches[client.id] = nil
            throw MultilineFailure(.invalid, [], "A multiline batch is already open")
        }
        let tags = client.caps.contains(.messageTags) ? message.tags.filter(\.isClientOnly) : []
        batches[client.id] = MultilineAssembly(ref: ref, target: p[2], label: label, clientTags: tags)
    }

    // MARK: Lines

    /// A PRIVMSG/NOTICE carrying a `batch` tag: taken into the open batch it
    /// names (true), or left to be relayed as usual when the client has no
    /// batch open (false). A tag naming another batch while one is open
    /// fails that batch (FAIL BATCH MULTILINE_INVALID) and the line is
    /// dropped: the client has lost track of its own batch.
    func absorb(_ client: Client, _ message: IRCMessage, ref: String) -> Bool {
        guard var assembly = batches[client.id] else { return false }
        guard !assembly.failed else { return true }
        guard assembly.ref == ref else {
            assembly.failed = true
            batches[client.id] = assembly
            respond(client, label: assembly.label) {
                fail(client, MultilineFailure(.invalid, [], "A line names another batch while a multiline batch is open"))
            }
            return true
        }
        do {
            guard message.command == "PRIVMSG", message.params.count >= 2 else {
                throw MultilineFailure(.invalid, [], "Only PRIVMSG lines may be in a multiline batch")
            }
            let limits = server.limits
            try assembly.append(target: message.params[0], text: message.params[1],
                                concat: message.tags.contains { $0.key == "draft/multiline-concat" },
                                maxBytes: limits.multilineMaxBytes, maxLines: limits.multilineMaxLines)
            batches[client.id] = assembly
            client.flood.refund()
        } catch {
            assembly.failed = true
            batches[client.id] = assembly
            respond(client, label: assembly.label) { fail(client, error) }
        }
        return true
    }

    // MARK: Delivery

    private func finish(_ client: Client, _ assembly: MultilineAssembly, label: String?) {
        guard !assembly.isBlank else {
            return respond(client, label: label) { fail(client, MultilineFailure(.invalid, [], "A multiline message needs some text")) }
        }
        do {
            try deliver(assembly, from: client, label: label)
        } catch {
            respond(client, label: label) { fail(client, error) }
        }
    }

    private func deliver(_ assembly: MultilineAssembly, from sender: Client, label: String?) throws {
        var tags = assembly.clientTags
        let msgid = server.msgids.next()
        tags.insert(IRCTag("msgid", msgid), at: 0)
        if sender.isBot { tags += IRCTag.botTags }
        let now = server.wallNow()
        let target = assembly.target
        var echoBatchID: String?
        var fanout = MultilineFanout(source: sender.mask, target: target, lines: assembly.lines, tags: tags,
                                     time: now.text, account: sender.account, batchID: server.msgids.next())
        if target.hasPrefix("#") {
            guard let channel = server.channel(named: target) else { throw IRCError.noSuchNick(target) }
            try server.checkCanSend(sender, to: channel)
            try server.checkCTCP(assembly.text, from: sender, to: channel)
            server.history?.record(channel: channel, source: sender.mask, account: sender.account, command: "PRIVMSG",
                                   text: assembly.text, msgid: msgid, timeMillis: now.millis)
            for member in channel.members.values where member.client !== sender {
                member.client.transport.send(fanout.chunk(for: member.client.caps))
            }
        } else {
            guard let recipient = server.client(named: target) else { throw IRCError.noSuchNick(target) }
            // To oneself it is delivered like any message and, with
            // echo-message, echoed as well (as single lines are).
            recipient.connection.send(fanout.chunk(for: recipient.caps))
            // Its echo is a second batch: it gets an id of its own.
            if recipient === sender && sender.caps.contains(.echoMessage) { echoBatchID = server.msgids.next() }
            server.privateHistory.record(from: sender, to: recipient, target: target, command: "PRIVMSG",
                                         text: assembly.text, msgid: msgid, timeMillis: now.millis)
            if let away = recipient.away { server.reply(sender, .away, recipient.nick, away) }
        }
        sender.lastMessageNanos = server.clock.monotonicNanos
        server.stats.messagesRelayed += 1
        if sender.caps.contains(.echoMessage) {
            // The label goes on the echo's opening BATCH, as the specification asks.
            if label != nil || echoBatchID != nil {
                sender.transport.send(ByteChunk(fanout.encode(for: sender.caps, label: label, batchID: echoBatchID)))
            } else {
                sender.transport.send(fanout.chunk(for: sender.caps))
            }
        } else if label != nil {
            respond(sender, label: label) {}
        }
    }

    // MARK: Answers

    private func fail(_ client: Client, _ error: Error) {
        switch error {
        case let failure as MultilineFailure:
            server.send(client, IRCMessage(source: server.serverName, command: "FAIL", params: failure.params))
        case let error as IRCError:
            server.send(client, error: error)
        default:
            server.send(client, IRCMessage(source: server.serverName, command: "FAIL",
                                           params: MultilineFailure(.invalid, [], "\(error)").params))
        }
    }

    /// Runs `body` with `client`'s output labelled `label` (nothing sent: ACK).
    private func respond(_ client: Client, label: String?, _ body: () -> Void) {
        guard let label, client.labelCapture == nil else { return body() }
        let capture = LabelCapture(client.connection, label: label, serverName: server.serverName,
                                   batchID: { [unowned server] in server.msgids.next() })
        client.labelCapture = capture
        body()
        client.labelCapture = nil
        capture.finish()
    }
}
