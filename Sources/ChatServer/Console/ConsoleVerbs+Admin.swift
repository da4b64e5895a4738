import Foundation

/// Console verbs that change stored state: bans and accounts. Each answers
/// once the change is committed.
extension ConsoleVerbs {
    static func services(_ host: ConsoleHost) throws -> ServerServices {
        guard let services = host.server.services else { throw ConsoleError.failed("this server runs without a database") }
        return services
    }

    /// Whole seconds a timed ban may last: up to ten years (longer is what a
    /// permanent ban is for). The bound keeps `now + seconds * 1000` far from
    /// overflowing Int64; `1e20` used to stop the daemon right there.
    static let banDurationSeconds = 1...315_360_000

    /// `{"account": name}` or `{"mask": "127.0.0.*"}`.
    static func banTarget(_ request: ConsoleRequest) throws -> (ServerBan.Kind, String) {
        let account = try request.optionalString("account"), mask = try request.optionalString("mask")
        switch (account, mask) {
        case (let account?, nil): return (.account, account)
        case (nil, let mask?): return (.address, mask)
        case (_?, _?): throw ConsoleError.invalidArgument("account", reason: "give either account or mask, not both")
        case (nil, nil): throw ConsoleError.missingArgument("account or mask")
        }
    }

    static func ban(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let (kind, pattern) = try banTarget(request)
        guard !pattern.isEmpty, !pattern.contains(" ") else { throw ConsoleError.invalidArgument(kind == .account ? "account" : "mask", reason: "must be one word") }
        let duration = try request.optionalInt("duration", in: banDurationSeconds)
        let now = host.server.clock.wallMillis
        let ban = ServerBan(kind: kind, pattern: pattern, reason: try request.optionalString("reason") ?? "Banned",
                            setAtMillis: now, expiresAtMillis: duration.map { now + Int64($0) * 1000 })
        let storage = services.storage
        services.writer.offload({ try storage.saveBan(ban) }) { [weak host] result in
            guard let host else { return }
            if case .failure(let error) = result { return respond(.error(.failed("could not save the ban: \(error)"))) }
            let removed = host.server.addBan(ban)
            respond(.ok(["disconnected": removed]))
        }
    }

    static func unban(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let (kind, pattern) = try banTarget(request)
        let key = kind == .account ? CaseMapping.fold(pattern) : pattern
        guard host.server.currentBans().contains(where: { $0.kind == kind && $0.pattern == key }) else {
            throw ConsoleError.failed("no such ban: \(pattern)")
        }
        // Deleted on disk first, as `ban` saves first: a failed write leaves
        // the ban in force rather than lifted now and back after a restart.
        let storage = services.storage
        services.writer.offload({ try storage.deleteBan(kind: kind, pattern: key) }) { result in
            if case .failure(let error) = result { return respond(.error(.failed("could not remove the ban: \(error)"))) }
            _ = host.server.removeBan(kind: kind, pattern: key)
            respond(.ok([:]))
        }
    }

    static func bans(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: Respond) throws {
        let rows: [[String: Any]] = host.server.currentBans().map { ban in
            [
                "kind": ban.kind.rawValue,
                "pattern": ban.pattern,
                "reason": ban.reason,
                "setAt": ServerTime.format(millis: ban.setAtMillis),
                "expiresAt": ban.expiresAtMillis.map { ServerTime.format(millis: $0) } ?? NSNull(),
            ]
        }
        respond(.ok(["bans": rows]))
    }

    static func accounts(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let storage = services.storage
        services.readers.offload({ try storage.allAccounts() }) { result in
            switch result {
            case .success(let all):
                respond(.ok(["accounts": all.map { a -> [String: Any] in
                    ["name": a.name, "email": a.email ?? NSNull(), "createdAt": ServerTime.format(millis: a.createdAtMillis),
                     "operator": a.isOperator]
                }]))
            case .failure(let error):
                respond(.error(.failed("could not read accounts: \(error)")))
            }
        }
    }

    static func accountCreate(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let server = host.server
        let name = try request.string("name"), password = try request.string("password")
        let email = try request.optionalString("email")
        guard NameRules.isValidNick(name, maxLength: server.config.limits.nickLength) else {
            throw ConsoleError.invalidArgument("name", reason: "account names follow the nickname rules")
        }
        guard password.utf8.count >= server.config.accounts.minPasswordLength else {
            throw ConsoleError.invalidArgument("password", reason: "needs at least \(server.config.accounts.minPasswordLength) characters")
        }
        _ = try services(host)  // accounts need the database
        server.createAccount(name: name, email: email, password: password, by: "the console") { result in
            switch result {
            case .success: respond(.ok([:]))
            case .failure(.exists): respond(.error(.failed("account \(name) already exists")))
            case .failure(.unavailable): respond(.error(.failed("could not create the account; see the server log")))
            }
        }
    }

    static func accountDelete(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let name = try request.string("name")
        let storage = services.storage
        services.writer.offload({ try storage.deleteAccount(named: name) }) { [weak host] result in
            guard let server = host?.server else { return }
            switch result {
            case .success(true):
                server.accountDeleted(name)
                respond(.ok([:]))
            case .success(false): respond(.error(.failed("no such account: \(name)")))
            case .failure(let error): respond(.error(.failed("could not delete the account: \(error)")))
            }
        }
    }

    static func accountOperator(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let name = try request.string("name")
        guard let flag = try request.optionalBool("operator") else { throw ConsoleError.missingArgument("operator") }
        let storage = services.storage
        services.writer.offload({ try storage.setOperator(name, flag) }) { result in
            switch result {
            case .success(true): respond(.ok([:]))
            case .success(false): respond(.error(.failed("no such account: \(name)")))
            case .failure(let error): respond(.error(.failed("could not update the account: \(error)")))
            }
        }
    }

    static func accountPassword(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let name = try request.string("name"), password = try request.string("password")
        let minimum = host.server.config.accounts.minPasswordLength
        guard password.utf8.count >= minimum else { throw ConsoleError.invalidArgument("password", reason: "needs at least \(minimum) characters") }
        let storage = services.storage
        // A new password gets a new SCRAM verifier too: the old one must stop working.
        services.hashers.offload({ (try PasswordHasher.hash(password), ScramVerifier.derive(password: password)) }) { hashed in
            guard case .success(let (hash, verifier)) = hashed else { return respond(.error(.failed("could not hash the password"))) }
            services.writer.offload({ try storage.setPassword(name, hash: hash, verifier: verifier) }) { result in
                switch result {
                case .success(true): respond(.ok([:]))
                case .success(false): respond(.error(.failed("no such account: \(name)")))
                case .failure(let error): respond(.error(.failed("could not update the account: \(error)")))
                }
            }
        }
    }
}
