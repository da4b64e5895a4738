/// `METADATA <target> <subcommand> [params…]` (draft/metadata-2) for user
/// metadata: GET, LIST, SET, CLEAR, SUB, UNSUB, SUBS and SYNC. Users set
/// keys on themselves (`*` or their nick); channels have no metadata here,
/// so SET on a channel is `KEY_NO_PERMISSION` and GET/LIST find nothing.
/// The state and the rules live in `MetadataService`.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum MetadataCommands {
    static let all: [CommandSpec] = [CommandSpec("METADATA", minParams: 2, metadata)]

    /// What a target names.
    enum Target {
        case user(Client)
        case channel(Channel)
    }

    static func metadata(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let service = server.metadata!
        // Just logged in, the account's values still being read: the command
        // runs once they are in (its answer, and the client's later lines,
        // wait with it), so a GET never says "not set" of a stored key.
        if service.isLoading(client) {
            return service.whenLoaded(client, LaterAnswers.wrap(client, on: server) { (_: Void) in
                guard client.state != .quitting else { return }
                do {
                    try metadata(server, client, message)
                } catch let error as IRCError {
                    server.send(client, error: error)
                } catch {
                    server.logger.error("METADATA after loading failed: \(error)")
                }
            })
        }
        let targetName = message.params[0]
        let subcommand = message.params[1].uppercased()
        let args = Array(message.params.dropFirst(2))
        do {
            switch subcommand {
            case "SUB": try sub(server, service, client, args)
            case "UNSUB": try unsub(server, service, client, args)
            case "SUBS": subs(server, service, client)
            case "GET", "LIST", "SET", "CLEAR", "SYNC":
                let target = try resolve(server, client, targetName)
                switch subcommand {
                case "GET": try get(server, service, client, target, targetName, args)
                case "LIST": list(server, service, client, target)
                case "SET": try set(server, service, client, target, targetName, args)
                case "CLEAR": try clear(server, service, client, target, targetName)
                default: sync(server, service, client, target)
                }
            default:
                throw MetadataFailure.subcommandInvalid(message.params[1])
            }
        } catch let failure as MetadataFailure {
            server.send(client, failure.message(from: server.serverName))
        }
    }

    /// `*` is the client itself; a nick must be online; a channel must be visible to the client.
    static func resolve(_ server: IRCServer, _ client: Client, _ name: String) throws -> Target {
        if name == "*" { return .user(client) }
        if name.hasPrefix("#") {
            guard let channel = server.channel(named: name), channel.isVisible(to: client) else { throw MetadataFailure.targetInvalid(name) }
            return .channel(channel)
        }
        guard let user = server.client(named: name) else { throw MetadataFailure.targetInvalid(name) }
        return .user(user)
    }

    static func keys(_ args: [String]) throws -> [String] {
        guard !args.isEmpty else { throw IRCError.needMoreParams("METADATA") }
        return Array(args.prefix(MetadataLimits.maxKeysPerRequest))
    }

    static func get(_ server: IRCServer, _ service: MetadataService, _ client: Client, _ target: Target, _ name: String,
                    _ args: [String]) throws {
        let asked = try keys(args)
        let batch = MetadataBatch(server, to: client)
        for raw in asked {
            guard let key = MetadataKey.normalize(raw) else {
                batch.send(MetadataFailure.keyInvalid(raw).message(from: server.serverName))
                continue
            }
            if case .user(let user) = target, let value = service.store.value(of: user.id, key) {
                batch.reply(.keyValue, [user.nick, key, "*", value])
            } else {
                batch.reply(.keyNotSet, [displayName(target), key, Numeric.keyNotSet.standardText!])
            }
        }
        batch.close()
    }

    static func list(_ server: IRCServer, _ service: MetadataService, _ client: Client, _ target: Target) {
        let batch = MetadataBatch(server, to: client)
        if case .user(let user) = target {
            for (key, value) in service.store.values(of: user.id).sorted(by: { $0.key < $1.key }) {
                batch.reply(.keyValue, [user.nick, key, "*", value])
            }
        }
        batch.close()
    }

    static func set(_ server: IRCServer, _ service: MetadataService, _ client: Client, _ target: Target, _ name: String,
                    _ args: [String]) throws {
        guard let raw = args.first else { throw IRCError.needMoreParams("METADATA") }
        guard let key = MetadataKey.normalize(raw) else { throw MetadataFailure.keyInvalid(raw) }
        guard case .user(let user) = target, user === client else { throw MetadataFailure.keyNoPermission(name, key) }
        let value = args.count > 1 ? args[1] : nil
        if let value, value.utf8.count > MetadataLimits.maxValueBytes { throw MetadataFailure.valueInvalid }
        let current = service.store.value(of: client.id, key)
        if value == nil && current == nil { throw MetadataFailure.keyNotSet(client.nick, key) }
        if value != nil && current == nil && service.store.count(of: client.id) >= MetadataLimits.maxKeys {
            throw MetadataFailure.limitReached(client.nick)
        }
        service.set(client, key: key, value: value) { [clientID = client.id] failure in
            guard let client = server.clients[clientID] else { return }
            if let failure { return server.send(client, failure.message(from: server.serverName)) }
            server.reply(client, .keyValue, [client.nick, key, "*"] + (value.map { [$0] } ?? []))
        }
    }

    static func clear(_ server: IRCServer, _ service: MetadataService, _ client: Client, _ target: Target, _ name: String) throws {
        guard case .user(let user) = target, user === client else { throw MetadataFailure.keyNoPermission(name, "*") }
        service.clear(client) { [clientID = client.id] result in
            guard let client = server.clients[clientID] else { return }
            switch result {
            case .failure(let failure): server.send(client, failure.message(from: server.serverName))
            case .success(let keys):
                let batch = MetadataBatch(server, to: client)
                for key in keys { batch.reply(.keyValue, [client.nick, key, "*"]) }
                batch.close()
            }
        }
    }

    /// Each key in order: invalid ones get `KEY_INVALID`; at the limit, the
    /// first key that does not fit gets `TOO_MANY_SUBS` and the rest are not
    /// looked at. 770 lists the keys subscribed (already or now).
    static func sub(_ server: IRCServer, _ service: MetadataService, _ client: Client, _ args: [String]) throws {
        var ok: [String] = []
        var added: [String] = []
        for raw in try keys(args) {
            guard let key = MetadataKey.normalize(raw) else {
                server.send(client, MetadataFailure.keyInvalid(raw).message(from: server.serverName))
                continue
            }
            if service.store.isSubscribed(client.id, to: key) {
                ok.append(key)
                continue
            }
            guard service.store.subscriptions(of: client.id).count < MetadataLimits.maxSubs else {
                server.send(client, MetadataFailure.tooManySubs(raw).message(from: server.serverName))
                break
            }
            service.store.subscribe(client.id, key)
            ok.append(key)
            added.append(key)
        }
        if !ok.isEmpty { server.replyList(client, .metadataSubOK, ok, separator: " ") }
        service.sendCurrentValues(to: client, keys: added)
    }

    static func unsub(_ server: IRCServer, _ service: MetadataService, _ client: Client, _ args: [String]) throws {
        var ok: [String] = []
        for raw in try keys(args) {
            guard let key = MetadataKey.normalize(raw) else {
                server.send(client, MetadataFailure.keyInvalid(raw).message(from: server.serverName))
                continue
            }
            service.store.unsubscribe(client.id, key)
            ok.append(key)
        }
        if !ok.isEmpty { server.replyList(client, .metadataUnsubOK, ok, separator: " ") }
    }

    static func subs(_ server: IRCServer, _ service: MetadataService, _ client: Client) {
        let keys = service.store.subscriptions(of: client.id).sorted()
        if !keys.isEmpty { server.replyList(client, .metadataSubs, keys, separator: " ") }
    }

    /// The subscribed keys of the target (a user, or every member of a channel) as a batch.
    static func sync(_ server: IRCServer, _ service: MetadataService, _ client: Client, _ target: Target) {
        let subscribed = service.store.subscriptions(of: client.id)
        let batch = MetadataBatch(server, to: client)
        let users: [Client]
        switch target {
        case .user(let user): users = [user]
        case .channel(let channel): users = channel.members.values.map(\.client).sorted { $0.foldedNick < $1.foldedNick }
        }
        for user in users {
            for (key, value) in service.store.values(of: user.id).sorted(by: { $0.key < $1.key }) where subscribed.contains(key) {
                batch.send(service.notification(about: user, key: key, value: value, source: server.serverName))
            }
        }
        batch.close()
    }

    static func displayName(_ target: Target) -> String {
        switch target {
        case .user(let user): return user.nick
        case .channel(let channel): return channel.name
        }
    }
}
