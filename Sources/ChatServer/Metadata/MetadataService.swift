/// draft/metadata-2 for users: the feature's one owner, reached from
/// `IRCServer` as `server.metadata`. It keeps the values and subscriptions
/// (`MetadataStore`), persists the values of logged-in users (the
/// `accountMetadata` table, through the storage writer: a change is
/// acknowledged once it is on disk), loads them at log-in, and tells
/// subscribers: users who share a channel with the one who changed, for the
/// keys they subscribed to. It hears quits, joins, registrations and log-ins
/// as a `ServerObserver`.
///
/// Thread-safety: loop thread only.
public final class MetadataService: ServerObserver {
    private unowned let server: IRCServer
    let store = MetadataStore()
    /// Clients whose account values are being read; their own batch waits for the read.
    private var loading: Set<UInt64> = []
    /// METADATA commands that came while their client's values were loading.
    private var waiting: [UInt64: [() -> Void]] = [:]

    func isLoading(_ client: Client) -> Bool { !loading.isEmpty && loading.contains(client.id) }

    /// Runs `command` once `client`'s values are loaded (or its read failed).
    func whenLoaded(_ client: Client, _ command: @escaping (()) -> Void) {
        waiting[client.id, default: []].append { command(()) }
    }

    /// The read is over: the commands that waited run, in order.
    private func loaded(_ clientID: UInt64) {
        loading.remove(clientID)
        guard let commands = waiting.removeValue(forKey: clientID) else { return }
        for command in commands { command() }
    }

    init(server: IRCServer) { self.server = server }

    // MARK: Lifecycle (ServerObserver)

    /// The client's own values, in a batch, once it can have them (spec:
    /// "upon requesting the capability"; an empty batch when there are none).
    public func clientRegistered(_ client: Client) {
        guard client.caps.contains(.metadata), !loading.contains(client.id) else { return }
        sendOwn(client)
    }

    public func clientQuit(_ client: Client, reason: String) {
        store.forget(client.id)
        if !loading.isEmpty { loaded(client.id) }  // what waited runs (and lets go of its hold) as the client goes
    }

    /// The newcomer learns the members' values of the keys it subscribed
    /// to, and the members learn the newcomer's.
    public func clientJoined(_ client: Client, channel: Channel) {
        guard store.usersWithValues > 0 else { return }
        let mine = store.values(of: client.id)
        for member in channel.members.values where member.client !== client {
            let other = member.client
            if client.caps.contains(.metadata) {
                for (key, value) in store.values(of: other.id) where store.isSubscribed(client.id, to: key) {
                    server.send(client, notification(about: other, key: key, value: value, source: server.serverName))
                }
            }
            if other.caps.contains(.metadata) {
                for (key, value) in mine where store.isSubscribed(other.id, to: key) {
                    server.send(other, notification(about: client, key: key, value: value, source: server.serverName))
                }
            }
        }
    }

    /// A log-in: the account's stored values replace what the connection
    /// had set before (a new account starts with what was set).
    public func clientLoggedIn(_ client: Client, newAccount: Bool) {
        guard let services = server.services, let account = client.account else { return }
        if newAccount {
            // Keys set before REGISTER become the account's.
            let values = store.values(of: client.id)
            guard !values.isEmpty else { return }
            let storage = services.storage
            services.writer.offload({ for (key, value) in values { try storage.setMetadata(ofAccount: account, key: key, value: value) } },
                                    completion: { [weak self] result in
                if case .failure(let error) = result { self?.server.logger.error("saving metadata of \(account) failed: \(error)") }
            })
            return
        }
        loading.insert(client.id)
        let storage = services.storage
        services.readers.offload({ try storage.metadata(ofAccount: account) }, completion: { [weak self, clientID = client.id] result in
            guard let self, let client = self.server.clients[clientID], client.state != .quitting else { return }
            self.loading.remove(client.id)
            defer { self.loaded(client.id) }  // after the client's own batch: then what waited
            switch result {
            case .success(let values):
                let before = self.store.values(of: client.id)
                self.store.replaceAll(client.id, with: values)
                if client.isRegistered {
                    // Peers hear what changed; the client gets its own batch.
                    for key in Set(before.keys).union(values.keys) where before[key] != values[key] {
                        self.notifyPeers(of: client, key: key, value: values[key])
                    }
                    if client.caps.contains(.metadata) { self.sendOwn(client) }
                }
            case .failure(let error):
                self.server.logger.error("loading metadata of \(account) failed: \(error)")
                if client.isRegistered && client.caps.contains(.metadata) { self.sendOwn(client) }
            }
        })
    }

    // MARK: Changes

    /// SET on the client itself, all checks done but the budget. `done`
    /// runs once the change is durable (at once for a user without an
    /// account), with nil, or with the failure to report.
    func set(_ client: Client, key: String, value: String?, done: @escaping (MetadataFailure?) -> Void) {
        if let wait = store.takeChange(client.id, now: server.clock.monotonicNanos) {
            return done(.rateLimited(client.nick, key, retryAfter: wait))
        }
        let old = store.set(client.id, key, value)
        persist(client, { try $0.setMetadata(ofAccount: $1, key: key, value: value) }) { [weak self, clientID = client.id] ok in
            guard let self, let client = self.server.clients[clientID], client.state != .quitting else { return }
            guard ok else {
                // Undo, unless a later change already replaced it.
                if self.store.value(of: client.id, key) == value { self.store.set(client.id, key, old) }
                return done(.internalError)
            }
            done(nil)
            self.notifyPeers(of: client, key: key, value: value)
        }
    }

    /// CLEAR on the client itself; `done` gets the keys removed.
    func clear(_ client: Client, done: @escaping (Result<[String], MetadataFailure>) -> Void) {
        if let wait = store.takeChange(client.id, now: server.clock.monotonicNanos) {
            return done(.failure(.rateLimited(client.nick, "*", retryAfter: wait)))
        }
        let old = store.values(of: client.id)
        store.replaceAll(client.id, with: [:])
        persist(client, { try $0.clearMetadata(ofAccount: $1) }) { [weak self, clientID = client.id] ok in
            guard let self, let client = self.server.clients[clientID], client.state != .quitting else { return }
            guard ok else {
                if self.store.count(of: client.id) == 0 { self.store.replaceAll(client.id, with: old) }
                return done(.failure(.internalError))
            }
            let keys = old.keys.sorted()
            done(.success(keys))
            for key in keys { self.notifyPeers(of: client, key: key, value: nil) }
        }
    }

    /// Runs `write` on the storage writer for a logged-in client, then
    /// `finished` on the loop; without an account (or a database) at once.
    private func persist(_ client: Client, _ write: @escaping (ChatStorage, String) throws -> Void,
                         finished: @escaping (Bool) -> Void) {
        guard let account = client.account, let services = server.services else { return finished(true) }
        let storage = services.storage
        services.writer.offload({ try write(storage, account) }, completion: { [weak self] result in
            if case .failure(let error) = result { self?.server.logger.error("saving metadata of \(account) failed: \(error)") }
            finished((try? result.get()) != nil)
        })
    }

    // MARK: Telling others

    /// `:<source> METADATA <nick> <key> * [:<value>]`
    func notification(about client: Client, key: String, value: String?, source: String) -> IRCMessage {
        IRCMessage(source: source, command: "METADATA", params: [client.nick, key, "*"] + (value.map { [$0] } ?? []))
    }

    /// Everyone sharing a channel with `client` who has the capability and
    /// subscribed to `key` hears the change once.
    func notifyPeers(of client: Client, key: String, value: String?) {
        let message = notification(about: client, key: key, value: value, source: client.mask)
        var seen: Set<UInt64> = [client.id]
        for channel in client.channels.values {
            for member in channel.members.values where seen.insert(member.client.id).inserted {
                let other = member.client
                guard other.caps.contains(.metadata), store.isSubscribed(other.id, to: key) else { continue }
                server.send(other, message)
            }
        }
    }

    /// The current values of `keys` (just subscribed) for the users `client`
    /// shares a channel with.
    func sendCurrentValues(to client: Client, keys: [String]) {
        guard !keys.isEmpty, client.caps.contains(.metadata), store.usersWithValues > 0 else { return }
        var seen: Set<UInt64> = [client.id]
        for channel in client.channels.values {
            for member in channel.members.values where seen.insert(member.client.id).inserted {
                for key in keys {
                    guard let value = store.value(of: member.client.id, key) else { continue }
                    server.send(client, notification(about: member.client, key: key, value: value, source: server.serverName))
                }
            }
        }
    }

    /// The client's own values as a `metadata` batch.
    func sendOwn(_ client: Client) {
        let batch = MetadataBatch(server, to: client)
        for (key, value) in store.values(of: client.id).sorted(by: { $0.key < $1.key }) {
            batch.send(notification(about: client, key: key, value: value, source: server.serverName))
        }
        batch.close()
    }
}
