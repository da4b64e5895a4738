import CoreLoop

/// Sends a group of replies as one `metadata` batch (draft/metadata-2): with
/// the `batch` tag to clients that negotiated `batch`, as plain lines to
/// others. The tag is written here rather than through `IRCServer.send`,
/// which keeps tags only for message-tags clients.
///
/// Thread-safety: loop thread only.
struct MetadataBatch {
    let server: IRCServer
    let client: Client
    private let id: String?

    /// Opens the batch (`BATCH +id metadata`).
    init(_ server: IRCServer, to client: Client) {
        self.server = server
        self.client = client
        if client.caps.contains(.batch) {
            let id = server.msgids.next()
            self.id = id
            server.send(client, IRCMessage(source: server.serverName, command: "BATCH", params: ["+" + id, "metadata"]))
        } else {
            id = nil
        }
    }

    func send(_ message: IRCMessage) {
        guard let id else { return server.send(client, message) }
        var line = [UInt8(ascii: "@")]
        var tags = [IRCTag("batch", id)]
        if client.caps.contains(.serverTime) { tags.append(IRCTag("time", server.currentTime())) }
        IRCTag.encodeList(tags, into: &line)
        line.append(0x20)
        line += message.encoded()
        _ = client.transport.send(ByteChunk(line))
        server.stats.linesOut += 1
    }

    /// `:server <numeric> <nick> params…` inside the batch.
    func reply(_ numeric: Numeric, _ params: [String]) {
        send(IRCMessage(source: server.serverName, command: numeric.rawValue, params: [client.nick] + params))
    }

    func close() {
        guard let id else { return }
        server.send(client, IRCMessage(source: server.serverName, command: "BATCH", params: ["-" + id]))
    }
}
