/// LINKS: the servers this one is linked to. chatd is a single server, so
/// the answer is this server alone (364, at hop count 0) and 365; a mask
/// that does not match its name lists nothing.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum LinksCommands {
    static let all: [CommandSpec] = [CommandSpec("LINKS", links)]

    /// `LINKS [[<remote server>] <mask>]`: the mask is the last parameter.
    static func links(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let mask = message.params.last.flatMap { $0.isEmpty ? nil : $0 } ?? "*"
        if CaseMapping.globMatch(mask, server.serverName) {
            server.reply(client, .links, server.serverName, server.serverName, "0 " + server.config.serverDescription)
        }
        server.reply(client, standard: .endOfLinks, mask)
    }
}
