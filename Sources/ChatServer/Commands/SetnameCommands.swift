/// SETNAME (IRCv3 setname): changes the real name after registration.
///
///     SETNAME :<new real name>
///
/// The change is announced as `:nick!user@host SETNAME :<name>` to the
/// client and to everyone sharing a channel with it, if they negotiated
/// `setname` (and to extended-monitor watchers with it). An empty name or
/// one longer than `limits.realNameLength` bytes is refused with
/// `FAIL SETNAME INVALID_REALNAME`, and nothing changes.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum SetnameCommands {
    static let all: [CommandSpec] = [
        CommandSpec("SETNAME", minParams: 1, setname),
    ]

    static func setname(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let name = message.params[0]
        guard !name.isEmpty, name.utf8.count <= server.limits.realNameLength else {
            server.send(client, IRCMessage(source: server.serverName, command: "FAIL",
                                           params: ["SETNAME", "INVALID_REALNAME", "Realname is not valid"]))
            return
        }
        client.realName = name
        let line = IRCMessage(source: client.mask, command: "SETNAME", params: [name])
        if client.caps.contains(.setname) { server.send(client, line) }
        server.broadcastToPeers(of: client, line, includeSelf: false, requiring: .setname)
    }
}
