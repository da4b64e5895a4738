/// MONITOR's side of the server: telling watchers when a nick signs on,
/// off, or changes, and (extended-monitor) passing them the AWAY, ACCOUNT
/// and SETNAME lines a shared channel would have brought.
extension IRCServer {
    /// Sends `items` joined by commas under `numeric`, as many lines as it
    /// takes to keep each under the line limit.
    func replyCommaList(_ client: Client, _ numeric: Numeric, _ items: [String]) {
        let budget = 400 - client.nick.utf8.count
        var line = ""
        for item in items {
            if !line.isEmpty && line.utf8.count + 1 + item.utf8.count > budget {
                reply(client, numeric, line)
                line = ""
            }
            line += line.isEmpty ? item : "," + item
        }
        if !line.isEmpty { reply(client, numeric, line) }
    }

    /// extended-monitor: `client`'s watchers that have `cap` as well get the
    /// line too, unless they already had it (`seen`) through a channel.
    /// Called by `broadcastToPeers` for the notifications that need a cap.
    func deliverToMonitors(of client: Client, _ fanout: inout Fanout, seen: inout Set<UInt64>,
                           requiring cap: CapabilitySet) {
        guard let watchers = monitors.watchers(ofFolded: client.foldedNick) else { return }
        let needed = cap.union(.extendedMonitor)
        for watcher in watchers where watcher.isRegistered && watcher.caps.isSuperset(of: needed) {
            guard seen.insert(watcher.id).inserted else { continue }
            watcher.transport.send(fanout.chunk(for: watcher.caps))
            stats.linesOut += 1
        }
    }
}

/// Keeps MONITOR watchers informed through the lifecycle hooks: 730 when a
/// watched nick registers or is taken by a rename, 731 when it quits or is
/// given up. A quitting client's own list is dropped.
///
/// Thread-safety: loop thread only (observers are called there).
final class MonitorNotifier: ServerObserver {
    private weak var server: IRCServer?
    private let registry: MonitorRegistry
    /// Clients that finished registration: only their quits are sign-offs
    /// (a connection that never registered was never announced online).
    private var online: Set<UInt64> = []

    init(server: IRCServer, registry: MonitorRegistry) {
        self.server = server
        self.registry = registry
    }

    func clientRegistered(_ client: Client) {
        online.insert(client.id)
        signedOn(client)
    }

    func clientRenamed(_ client: Client, from oldNick: String) {
        let oldFolded = CaseMapping.fold(oldNick)
        if oldFolded != client.foldedNick { signedOff(oldNick, folded: oldFolded) }
        signedOn(client)
    }

    func clientQuit(_ client: Client, reason: String) {
        registry.clear(client)
        guard online.remove(client.id) != nil else { return }
        signedOff(client.nick, folded: client.foldedNick)
    }

    private func signedOn(_ client: Client) {
        guard let server, let watchers = registry.watchers(ofFolded: client.foldedNick) else { return }
        for watcher in watchers where watcher.state != .quitting {
            server.reply(watcher, .monOnline, client.mask)
        }
    }

    private func signedOff(_ nick: String, folded: String) {
        guard let server, let watchers = registry.watchers(ofFolded: folded) else { return }
        for watcher in watchers where watcher.state != .quitting {
            server.reply(watcher, .monOffline, nick)
        }
    }
}
