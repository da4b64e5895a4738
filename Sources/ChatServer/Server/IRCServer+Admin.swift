/// Actions the admin console takes on the chat state.
extension IRCServer {
    /// A NOTICE from the server to every registered user; returns how many.
    func wall(_ text: String) -> Int {
        var count = 0
        for client in clients.values where client.isRegistered {
            send(client, IRCMessage(source: serverName, command: "NOTICE", params: [client.nick, "*** " + text]))
            count += 1
        }
        logger.notice("wall: \(text)")
        return count
    }

    /// Sets a topic as the server; members see a TOPIC from the server.
    func setTopicByServer(_ channel: Channel, text: String) {
        setTopic(channel, text: text, by: serverName)
        broadcast(IRCMessage(source: serverName, command: "TOPIC", params: [channel.name, text]), to: channel)
    }

    /// Bytes received and sent by all current and past connections.
    func totalBytes() -> (in: UInt64, out: UInt64) {
        var input = stats.bytesInClosed, output = stats.bytesOutClosed
        for client in clients.values {
            input &+= client.transport.bytesIn
            output &+= client.transport.bytesOut
        }
        return (input, output)
    }
}
