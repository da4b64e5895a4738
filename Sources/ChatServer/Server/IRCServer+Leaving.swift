import CoreLoop

/// Leaving: a client quitting (or being dropped), a member leaving a
/// channel, everyone going at shutdown. Observers hear of each.
extension IRCServer {
    /// Removes `client`: one QUIT to each user sharing a channel, then (if
    /// `tellClient`) `ERROR :Closing Link` and a close after the queue drains.
    public func quit(_ client: Client, reason: String, tellClient: Bool = true) {
        guard client.state != .quitting else { return }
        let wasRegistered = client.isRegistered
        startQuit(client, reason: reason)
        if wasRegistered {
            let quitLine = IRCMessage(source: client.mask, command: "QUIT", params: [reason])
            broadcastToPeers(of: client, quitLine, includeSelf: false)
            for channel in Array(client.channels.values) { removeMember(client, from: channel) }
        }
        finishQuit(client, reason: reason, wasRegistered: wasRegistered, tellClient: tellClient)
    }

    /// The start of every quit: the client counts as gone from here on.
    func startQuit(_ client: Client, reason: String) {
        client.state = .quitting
        // The two drops a client causes by its own behaviour, for /metrics.
        if reason == "Excess Flood" {
            stats.floodDisconnects &+= 1
        } else if reason == CloseReason.sendQueueExceeded.description {
            stats.sendQueueDisconnects &+= 1
        }
    }

    /// The end of every quit, once its channels have been told and left.
    func finishQuit(_ client: Client, reason: String, wasRegistered: Bool, tellClient: Bool) {
        if wasRegistered {
            clients.rememberForWhowas(client, serverName: serverName, atMillis: clock.wallMillis)
            setUserModes(client, invisible: false, operator: false)
            stats.users -= 1
        }
        clients.remove(client)
        housekeeping.throttled.remove(client.id)
        logger.debug("client left: \(reason.escapedForLog)", metadata: ["client": "\(client.id)", "nick": "\(client.nick)"])
        if tellClient {
            sendClosingLink(client.transport, host: client.host, reason: reason)
            client.transport.close(reason: reason, afterFlush: true)
        }
        notifyObservers { $0.clientQuit(client, reason: reason) }
    }

    /// Ends every connection (shutdown): each client gets its ERROR line, and
    /// nobody is told of the others leaving, since everyone is; QUIT to every
    /// peer would be N² lines queued to sockets about to close.
    public func disconnectAll(reason: String) {
        channels.dissolveAll(members: clients.all)
        for client in Array(clients.all) { quit(client, reason: reason) }
    }

    /// Takes `client` out of `channel`, which goes away when it was the last member.
    func removeMember(_ client: Client, from channel: Channel) {
        if channels.removeMember(client, from: channel) {
            notifyObservers { $0.channelEmptied(channel) }
        }
    }

    /// `ERROR :Closing Link: host (reason)`, byte for byte what `IRCMessage`
    /// encodes (ERROR's text is always trailing; the reason, which may come
    /// from the console or a client, through `appendOneLine`), copied from the
    /// reply buffer: no message, interpolated text or chunk per QUIT.
    func sendClosingLink(_ transport: ClientTransport, host: String, reason: String) {
        replies.buffer.removeAll(keepingCapacity: true)
        replies.buffer += "ERROR :Closing Link: ".utf8
        IRCMessage.appendOneLine(host, into: &replies.buffer)
        replies.buffer += " (".utf8
        IRCMessage.appendOneLine(reason, into: &replies.buffer)
        replies.buffer += ")\r\n".utf8
        replies.buffer.withUnsafeBytes { _ = transport.send(copying: $0) }
    }

    func notifyObservers(_ event: (ServerObserver) -> Void) {
        for observer in observers { event(observer) }
    }
}
