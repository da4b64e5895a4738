/// Keeps MONITOR watchers informed through the lifecycle hooks: 730 when a
/// watched nick registers or is taken by a rename, 731 when it quits or is
/// given up (a change of case is neither). A quitting client's own list is
/// dropped.
///
/// Thread-safety: loop thread only (observers are called there).
final class MonitorNotifier: ServerObserver {
    /// Unowned, not weak: the server owns this notifier, and a weak
    /// reference would give the server a side table (see `IRCServer`).
    private unowned let server: IRCServer
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
        // A change of case only: the same nick stays online, nothing to say.
        guard oldFolded != client.foldedNick else { return }
        signedOff(oldNick, folded: oldFolded)
        signedOn(client)
    }

    func clientQuit(_ client: Client, reason: String) {
        registry.clear(client)
        guard online.remove(client.id) != nil else { return }
        signedOff(client.nick, folded: client.foldedNick)
    }

    private func signedOn(_ client: Client) {
        guard let watchers = registry.watchers(ofFolded: client.foldedNick) else { return }
        for watcher in watchers where watcher.state != .quitting {
            server.reply(watcher, .monOnline, client.mask)
        }
    }

    private func signedOff(_ nick: String, folded: String) {
        guard let watchers = registry.watchers(ofFolded: folded) else { return }
        for watcher in watchers where watcher.state != .quitting {
            server.reply(watcher, .monOffline, nick)
        }
    }
}
