import CoreLoop
import Foundation

/// The console's command table: verb name → handler. Handlers answer through
/// `respond` exactly once (some answer later, after work on a worker), or
/// throw a `ConsoleError`.
///
/// Thread-safety: loop thread only.
public enum ConsoleVerbs {
    public typealias Respond = (ConsoleReply) -> Void
    public typealias Handler = (ConsoleHost, ConsoleRequest, @escaping Respond) throws -> Void

    public static let table: [String: Handler] = [
        "status": status,
        "users": users,
        "channels": channels,
        "kick": kick,
        "disconnect": disconnect,
        "wall": wall,
        "topic": topic,
        "shutdown": shutdown,
        "ban": ban,
        "unban": unban,
        "bans": bans,
        "accounts": accounts,
        "account-create": accountCreate,
        "account-delete": accountDelete,
        "account-operator": accountOperator,
        "account-password": accountPassword,
        "account-add-certfp": accountAddCertFP,
        "reload": reload,
        "matches": matches,
        "match-create": matchCreate,
        "match-event": matchEvent,
        "match-finish": matchFinish,
        "match-ingest": matchIngest,
        "files": files,
        "file-delete": fileDelete,
    ]

    /// Runs one request; every outcome becomes exactly one reply.
    public static func handle(_ request: ConsoleRequest, host: ConsoleHost, respond: @escaping Respond) {
        guard let handler = table[request.command] else {
            return respond(.error(.unknownCommand(request.command)))
        }
        do {
            try handler(host, request, respond)
        } catch let error as ConsoleError {
            respond(.error(error))
        } catch {
            respond(.error(.failed("\(error)")))
        }
    }

    // MARK: Reading

    static func status(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let server = host.server
        let stats = server.stats
        let loop = host.loopStats
        let uptime = Double(server.clock.wallMillis - host.startedAtMillis) / 1000
        let bytes = server.totalBytes()
        respond(.ok([
            "protocol": ConsoleReply.protocolVersion,
            "version": ChatServerVersion.string,
            "uptimeSeconds": uptime,
            "connections": server.clients.count,
            "users": stats.users,
            "channels": server.channels.count,
            "messagesIn": stats.linesIn,
            "messagesOut": stats.linesOut,
            "messagesInPerSecond": stats.linesInPerSecond,
            "messagesOutPerSecond": stats.linesOutPerSecond,
            "messagesRelayed": stats.messagesRelayed,
            "connectionsRefused": stats.connectionsRefused,
            "historyWritten": server.history?.messagesWritten ?? 0,
            "historyUnwritten": server.history?.unwrittenCount ?? 0,
            "historyCollisions": server.history?.collisions ?? 0,
            "historyDropped": server.history?.droppedUnwritten ?? 0,
            "bytesIn": bytes.in,
            "bytesOut": bytes.out,
            "rssBytes": ProcessMemory.residentBytes(),
            "loopIterations": loop.iterations,
            "loopLagMillis": Double(loop.lastTimerLagNanos) / 1e6,
            "loopLagMaxMillis": Double(loop.maxTimerLagNanos) / 1e6,
            "handlerFailures": stats.handlerFailures,
            "commands": server.commandCallCounts(),
            "scores": server.scores?.statusFields ?? [:],
            "filesStored": server.files.storedCount,
            "fileBytesStored": server.files.storedBytes,
        ]))
    }

    static func users(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let server = host.server
        let now = server.clock.monotonicNanos
        let rows: [[String: Any]] = server.clients.all.filter(\.isRegistered).sorted { $0.foldedNick < $1.foldedNick }.map { c in
            [
                "nick": c.nick,
                "account": c.account ?? NSNull(),
                "address": c.host,
                "connectedSince": ServerTime.format(millis: c.connectedAtMillis),
                "idleSeconds": Int((now &- c.lastMessageNanos) / 1_000_000_000),
                "channels": c.channels.values.map(\.name).sorted(),
                "sendQueueBytes": c.transport.queuedBytes,
                "transport": c.connection.isSecure ? "tls" : "tcp",
            ]
        }
        respond(.ok(["users": rows]))
    }

    static func channels(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let rows: [[String: Any]] = host.server.channels.sortedByName().map { ch in
            [
                "name": ch.name,
                "members": ch.members.count,
                "modes": ch.modeString(showParameters: true).joined(separator: " "),
                "topic": ch.topic ?? NSNull(),
            ]
        }
        respond(.ok(["channels": rows]))
    }

    // MARK: Moderation

    static func kick(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let server = host.server
        let name = try request.string("channel"), nick = try request.string("nick")
        let reason = try request.optionalString("reason") ?? "Kicked by the server administrator"
        guard let channel = server.channel(named: name) else { throw ConsoleError.noSuchChannel(name) }
        guard let target = server.client(named: nick) else { throw ConsoleError.noSuchNick(nick) }
        guard channel.members[target.id] != nil else { throw ConsoleError.notOnChannel(nick: target.nick, channel: channel.name) }
        server.kick(target, from: channel, by: server.config.serverName,
                    reason: NameRules.truncate(reason, maxBytes: server.config.limits.kickReasonLength))
        respond(.ok([:]))
    }

    static func disconnect(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let server = host.server
        let nick = try request.string("nick")
        let reason = try request.optionalString("reason") ?? "Disconnected by the server administrator"
        guard let target = server.client(named: nick) else { throw ConsoleError.noSuchNick(nick) }
        server.kill(target, by: "console", source: server.config.serverName, reason: reason)
        respond(.ok([:]))
    }

    static func wall(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let text = try request.string("text")
        guard !text.isEmpty else { throw ConsoleError.invalidArgument("text", reason: "must not be empty") }
        let reached = host.server.wall(text)
        respond(.ok(["recipients": reached]))
    }

    /// Answers once the topic is on disk (a crash after `ok` keeps it).
    static func topic(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let server = host.server
        let name = try request.string("channel"), text = try request.string("text")
        guard let channel = server.channel(named: name) else { throw ConsoleError.noSuchChannel(name) }
        server.setTopicByServer(channel, text: NameRules.truncate(text, maxBytes: server.config.limits.topicLength)) { stored in
            respond(stored ? .ok([:]) : .error(.failed("could not save the topic; it is unchanged")))
        }
    }

    // MARK: Lifecycle

    static func reload(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        // The files are read on a worker, then the certificate; the session
        // holds later requests until this answers, so replies stay in order
        // and a script that replaced the files knows when they apply.
        host.reloadConfiguration { result in
            switch result {
            case .success(let notes): host.reloadCertificates { tlsNotes in respond(.ok(["notes": notes + tlsNotes])) }
            case .failure(let error as ConsoleError): respond(.error(error))
            case .failure(let error): respond(.error(.failed("\(error)")))
            }
        }
    }

    static func shutdown(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let grace = try request.optionalNumber("grace") ?? 5
        guard grace >= 0, grace <= 3600 else { throw ConsoleError.invalidArgument("grace", reason: "must be 0 to 3600 seconds") }
        let message = try request.optionalString("message") ?? "Server shutting down"
        respond(.ok([:]))
        host.shutdown(message: message, grace: Nanoseconds(UInt64(grace * 1e9)))
    }
}
