/// CHATHISTORY (IRCv3 draft): LATEST, BEFORE, AFTER, AROUND, BETWEEN, with
/// `msgid=` and `timestamp=` references, for channels one is in and, logged
/// in, for one's private conversations (the target is the other's nick);
/// TARGETS lists which of them had messages in a time range.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum HistoryCommands {
    // No minimum in the table: the draft answers missing parameters with
    // `FAIL … NEED_MORE_PARAMS`, not 461.
    static let all: [CommandSpec] = [CommandSpec("CHATHISTORY", chathistory)]

    /// Parameters each subcommand needs, its own name included.
    static let needed = ["LATEST": 4, "BEFORE": 4, "AFTER": 4, "AROUND": 4, "BETWEEN": 5, "TARGETS": 4]

    static func fail(_ server: IRCServer, _ client: Client, _ code: String, _ params: [String], _ text: String) {
        server.send(client, IRCMessage(source: server.serverName, command: "FAIL", params: ["CHATHISTORY", code] + params + [text]))
    }

    static func chathistory(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let p = message.params
        guard let first = p.first, !first.isEmpty else {
            return fail(server, client, "NEED_MORE_PARAMS", ["*"], "Missing parameters")
        }
        let sub = first.uppercased()
        guard let count = needed[sub] else {
            return fail(server, client, "UNKNOWN_COMMAND", [first], "Unknown command")
        }
        guard p.count >= count else {
            return fail(server, client, "NEED_MORE_PARAMS", [sub], "Missing parameters")
        }
        let target = p[1]
        guard server.history != nil else {
            return fail(server, client, "MESSAGE_ERROR", [sub, target], "History is not available")
        }
        if sub == "TARGETS" { return HistoryTargetsCommand.run(server, client, message) }
        var folded = "", name = ""
        if target.hasPrefix("#") {
            guard let channel = server.channel(named: target), channel.members[client.id] != nil else {
                return fail(server, client, "INVALID_TARGET", [sub, target], "You can only read the history of channels you are in")
            }
            folded = channel.folded
            name = channel.name
        } else {
            guard let key = server.privateHistory.conversation(of: client, with: target) else {
                return fail(server, client, "INVALID_TARGET", [sub, target], "Log in to read the history of private messages")
            }
            folded = key
            name = target
        }
        guard let requested = Int(p[count - 1]), requested > 0 else {
            return fail(server, client, "INVALID_PARAMS", [sub], "Expected a reference and a positive limit")
        }
        let limit = min(requested, server.config.history.maxChathistoryLimit)
        // TOPIC and kept TAGMSGs only for readers that asked (EventPlayback).
        let events = client.caps.contains(.eventPlayback)
        let deliver: ([StoredMessage]) -> Void = { [clientID = client.id] messages in
            guard let client = server.clients[clientID] else { return }
            server.historyReads.answer(messages, target: name, to: client)
        }
        // Each read answers later, in order and inside a label (AnswerOrder/LaterAnswers).
        func later<T>(_ done: @escaping (T) -> Void) -> (T) -> Void { LaterAnswers.wrap(client, on: server, done) }
        let refText = p[2]
        if sub == "LATEST" && refText == "*" {
            return server.historyReads.fetch(HistoryQuery(channel: folded, limit: limit, newestFirst: true, events: events), done: later(deliver))
        }
        server.historyReads.resolve(refText, channel: folded, done: later { [clientID = client.id] ref in
            guard let client = server.clients[clientID] else { return }
            guard let ref else { return fail(server, client, "INVALID_MSGREFTYPE", [sub, refText], "Unknown or malformed message reference") }
            switch sub {
            case "LATEST":
                server.historyReads.fetch(HistoryQuery(channel: folded, after: ref, limit: limit, newestFirst: true, events: events), done: later(deliver))
            case "BEFORE":
                server.historyReads.fetch(HistoryQuery(channel: folded, before: ref, limit: limit, newestFirst: true, events: events), done: later(deliver))
            case "AFTER":
                server.historyReads.fetch(HistoryQuery(channel: folded, after: ref, limit: limit, newestFirst: false, events: events), done: later(deliver))
            case "AROUND":
                // Centred on the reference, which is included: (limit - 1) / 2
                // before it, the rest from it on; a side that runs short is
                // made up from the other (a reference past the newest
                // message gives the newest). `AROUND msgid=X 1` is X alone.
                let from: HistoryQuery.Bound
                switch ref { case .seq(let s): from = .seq(s - 1); case .time(let t): from = .time(t - 1) }
                server.historyReads.fetch(HistoryQuery(channel: folded, before: ref, limit: limit, newestFirst: true, events: events), done: later { older in
                    server.historyReads.fetch(HistoryQuery(channel: folded, after: from, limit: limit, newestFirst: false, events: events),
                                        done: later { newer in
                        let before = min(older.count, max((limit - 1) / 2, limit - newer.count))
                        deliver(Array(older.suffix(before)) + Array(newer.prefix(limit - before)))
                    })
                })
            default:  // BETWEEN
                let otherText = p[3]
                server.historyReads.resolve(otherText, channel: folded, done: later { other in
                    guard let other else { return fail(server, client, "INVALID_MSGREFTYPE", [sub, otherText], "Unknown or malformed message reference") }
                    let forward = order(ref, other)
                    let (low, high) = forward ? (ref, other) : (other, ref)
                    server.historyReads.fetch(HistoryQuery(channel: folded, after: low, before: high, limit: limit, newestFirst: !forward, events: events),
                                        done: later(deliver))
                })
            }
        })
    }

    /// Whether `a` comes before `b`. Mixed kinds compare as equal-precision
    /// positions are unknown: treat a message reference before a time one.
    static func order(_ a: HistoryQuery.Bound, _ b: HistoryQuery.Bound) -> Bool {
        switch (a, b) {
        case (.seq(let x), .seq(let y)): return x <= y
        case (.time(let x), .time(let y)): return x <= y
        case (.seq, .time): return true
        case (.time, .seq): return false
        }
    }
}
