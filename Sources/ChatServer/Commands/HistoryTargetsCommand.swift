import CoreLoop

/// `CHATHISTORY TARGETS <timestamp=…> <timestamp=…> <limit>`: the channels
/// the client is in and the people it talked to (logged in) that had
/// messages between the two times, as `CHATHISTORY TARGETS <target>
/// <time of the newest message>` lines (oldest first, or newest first when
/// the first time is the later), in a
/// `draft/chathistory-targets` batch (plain lines without `batch`). A client
/// opening on a new device learns from it which conversations to fetch.
///
/// Thread-safety: loop thread only (called from `HistoryCommands`).
enum HistoryTargetsCommand {
    static func run(_ server: IRCServer, _ client: Client, _ message: IRCMessage) {
        let p = message.params
        guard p.count >= 4, let from = time(p[1]), let to = time(p[2]), let requested = Int(p[3]), requested > 0 else {
            return HistoryCommands.fail(server, client, "INVALID_PARAMS", ["TARGETS"], "Expected two timestamp= bounds and a positive limit")
        }
        let limit = min(requested, server.config.history.maxChathistoryLimit)
        server.privateHistory.targets(of: client, from: from, to: to, limit: limit, done: LaterAnswers.wrap(client, on: server) {
            [clientID = client.id] targets in
            guard let client = server.clients[clientID], client.state != .quitting else { return }
            send(targets, to: client, on: server)
        })
    }

    private static func time(_ reference: String) -> Int64? {
        guard reference.hasPrefix("timestamp=") else { return nil }
        return ServerTime.parse(String(reference.dropFirst(10)))
    }

    private static func send(_ targets: [HistoryTarget], to client: Client, on server: IRCServer) {
        // Encoded here rather than through `send`, which drops tags for
        // clients without message-tags: the batch tag belongs to `batch`.
        let batchID = client.caps.contains(.batch) ? server.msgids.next() : nil
        var out: [UInt8] = []
        if let batchID {
            IRCMessage(source: server.serverName, command: "BATCH", params: ["+" + batchID, "draft/chathistory-targets"]).encode(into: &out)
        }
        for target in targets {
            IRCMessage(tags: batchID.map { [IRCTag("batch", $0)] } ?? [], source: server.serverName, command: "CHATHISTORY",
                       params: ["TARGETS", target.name, ServerTime.format(millis: target.lastMillis)]).encode(into: &out)
        }
        if let batchID {
            IRCMessage(source: server.serverName, command: "BATCH", params: ["-" + batchID]).encode(into: &out)
        }
        if !out.isEmpty { client.transport.send(ByteChunk(out)) }
    }
}
