import CoreLoop
import Foundation

/// Reads `config.json` strictly: unknown keys, wrong types and out-of-range
/// values stop startup with an error naming the key (e.g. `limits.nickLength`).
///
/// Thread-safety: any thread (used at startup and on reload).
public enum ConfigLoader {
    public static func load(file: String) throws -> ServerConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ConfigError.unreadable(file: file, reason: (error as NSError).localizedDescription)
        }
        return try parse(data, file: file)
    }

    public static func parse(_ data: Data, file: String) throws -> ServerConfig {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigError.malformedJSON(file: file, reason: (error as NSError).userInfo["NSDebugDescription"] as? String ?? "\(error)")
        }
        guard let object = root as? [String: Any] else {
            throw ConfigError.wrongType(file: file, key: "(top level)", expected: "an object")
        }
        var config = ServerConfig()
        var reader = Reader(file: file, object: object, prefix: "")
        try reader.string("serverName", into: &config.serverName, validate: validServerName)
        try reader.string("networkName", into: &config.networkName, validate: { $0.isEmpty || $0.contains(" ") ? "must be one non-empty word" : nil })
        try reader.strings("listen", into: &config.listen)
        for (index, text) in config.listen.enumerated() {
            do {
                _ = try SocketAddress(parsing: text)
            } catch {
                throw ConfigError.invalidValue(file: file, key: "listen[\(index)]", reason: "\(error)")
            }
        }
        try reader.string("dataDir", into: &config.dataDir, validate: { $0.isEmpty ? "must not be empty" : nil })
        try reader.optionalString("motd", into: &config.motd)
        try reader.optionalString("motdFile", into: &config.motdFile)
        try reader.optionalString("serverPassword", into: &config.serverPassword)
        try reader.optionalString("consoleSocket", into: &config.consoleSocket)
        try reader.string("logLevel", into: &config.logLevel, validate: {
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains($0) ? nil : "must be one of trace, debug, info, notice, warning, error, critical"
        })
        try reader.operators("operators", into: &config.operators)
        try reader.int("shutdownTimeoutSeconds", into: &config.shutdownTimeoutSeconds, min: 0, max: 3600)
        if let limits = try reader.object("limits") {
            var l = limits
            var c = config.limits
            try l.int("maxLineLength", into: &c.maxLineLength, min: 512)
            try l.int("maxTagsLength", into: &c.maxTagsLength, min: 0)
            try l.int("sendQueueBytes", into: &c.sendQueueBytes, min: 0)
            try l.int("floodBurst", into: &c.floodBurst, min: 0)
            try l.int("floodLinesPerSecond", into: &c.floodLinesPerSecond, min: 0)
            try l.int("floodBacklogBytes", into: &c.floodBacklogBytes, min: 1024)
            try l.int("maxConnections", into: &c.maxConnections, min: 0)
            try l.int("maxConnectionsPerIP", into: &c.maxConnectionsPerIP, min: 0)
            try l.int("maxChannelsPerUser", into: &c.maxChannelsPerUser, min: 1)
            try l.int("nickLength", into: &c.nickLength, min: 1, max: 200)
            try l.int("userLength", into: &c.userLength, min: 1, max: 200)
            try l.int("realNameLength", into: &c.realNameLength, min: 1, max: 400)
            try l.int("channelLength", into: &c.channelLength, min: 2, max: 200)
            try l.int("topicLength", into: &c.topicLength, min: 1, max: 400)
            try l.int("kickReasonLength", into: &c.kickReasonLength, min: 1, max: 400)
            try l.int("awayLength", into: &c.awayLength, min: 1, max: 400)
            try l.int("maxTargets", into: &c.maxTargets, min: 1, max: 100)
            try l.int("maxBans", into: &c.maxBans, min: 1)
            try l.int("registrationTimeoutSeconds", into: &c.registrationTimeoutSeconds, min: 1)
            try l.int("pingIntervalSeconds", into: &c.pingIntervalSeconds, min: 1)
            try l.int("pingTimeoutSeconds", into: &c.pingTimeoutSeconds, min: 1)
            try l.int("whowasEntries", into: &c.whowasEntries, min: 0)
            try l.finish()
            config.limits = c
        }
        if var r = try reader.object("accounts") {
            var a = config.accounts
            try r.bool("allowRegistration", into: &a.allowRegistration)
            try r.int("minPasswordLength", into: &a.minPasswordLength, min: 1, max: 1024)
            try r.int("loginMaxFailures", into: &a.loginMaxFailures, min: 0)
            try r.int("loginFailureWindowSeconds", into: &a.loginFailureWindowSeconds, min: 1)
            try r.strings("operatorAccounts", into: &a.operatorAccounts)
            try r.finish()
            config.accounts = a
        }
        if var r = try reader.object("history") {
            var h = config.history
            try r.int("replayOnJoin", into: &h.replayOnJoin, min: 0, max: 1000)
            try r.int("flushIntervalMillis", into: &h.flushIntervalMillis, min: 1, max: 60_000)
            try r.int("flushBatchSize", into: &h.flushBatchSize, min: 1)
            try r.int("maxChathistoryLimit", into: &h.maxChathistoryLimit, min: 1, max: 10_000)
            try r.int("maxAgeDays", into: &h.maxAgeDays, min: 0)
            try r.int("maxMessagesPerTarget", into: &h.maxMessagesPerTarget, min: 0)
            try r.int("topicRetentionDays", into: &h.topicRetentionDays, min: 0)
            try r.finish()
            config.history = h
        }
        try reader.finish()
        return config
    }

    static func validServerName(_ name: String) -> String? {
        let ok = !name.isEmpty && name.contains(".") && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
        return ok ? nil : "must look like a host name with a dot, e.g. chat.example.org"
    }

    /// Walks one JSON object, remembering which keys were used so the rest can
    /// be reported as unknown.
    struct Reader {
        let file: String
        let object: [String: Any]
        let prefix: String
        var used: Set<String> = []

        init(file: String, object: [String: Any], prefix: String) {
            self.file = file
            self.object = object
            self.prefix = prefix
        }

        func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

        mutating func value(_ key: String) -> Any? {
            used.insert(key)
            return object[key]
        }

        mutating func string(_ key: String, into target: inout String, validate: (String) -> String? = { _ in nil }) throws {
            guard let raw = value(key) else { return }
            guard let s = raw as? String else { throw ConfigError.wrongType(file: file, key: path(key), expected: "a string") }
            if let problem = validate(s) { throw ConfigError.invalidValue(file: file, key: path(key), reason: problem) }
            target = s
        }

        mutating func optionalString(_ key: String, into target: inout String?) throws {
            guard let raw = value(key) else { return }
            if raw is NSNull { target = nil; return }
            guard let s = raw as? String else { throw ConfigError.wrongType(file: file, key: path(key), expected: "a string or null") }
            target = s
        }

        mutating func strings(_ key: String, into target: inout [String]) throws {
            guard let raw = value(key) else { return }
            guard let list = raw as? [Any], let strings = list as? [String] else {
                throw ConfigError.wrongType(file: file, key: path(key), expected: "a list of strings")
            }
            target = strings
        }

        mutating func int(_ key: String, into target: inout Int, min: Int, max: Int = Int.max) throws {
            guard let raw = value(key) else { return }
            // `0 is Bool` holds through NSNumber bridging; a JSON boolean is
            // the one number whose type code is "c".
            guard let number = raw as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.rounded() == number.doubleValue,
                  abs(number.doubleValue) < 1e15 else {
                throw ConfigError.wrongType(file: file, key: path(key), expected: "a whole number")
            }
            let n = number.intValue
            guard n >= min && n <= max else {
                let range = max == Int.max ? "at least \(min)" : "between \(min) and \(max)"
                throw ConfigError.invalidValue(file: file, key: path(key), reason: "\(n) is out of range: must be \(range)")
            }
            target = n
        }

        mutating func bool(_ key: String, into target: inout Bool) throws {
            guard let raw = value(key) else { return }
            guard let number = raw as? NSNumber, String(cString: number.objCType) == "c" else {
                throw ConfigError.wrongType(file: file, key: path(key), expected: "true or false")
            }
            target = number.boolValue
        }

        mutating func object(_ key: String) throws -> Reader? {
            guard let raw = value(key) else { return nil }
            guard let dict = raw as? [String: Any] else { throw ConfigError.wrongType(file: file, key: path(key), expected: "an object") }
            return Reader(file: file, object: dict, prefix: path(key))
        }

        mutating func operators(_ key: String, into target: inout [ServerConfig.OperatorCredential]) throws {
            guard let raw = value(key) else { return }
            guard let list = raw as? [Any] else { throw ConfigError.wrongType(file: file, key: path(key), expected: "a list of objects") }
            target = try list.enumerated().map { index, item in
                guard let dict = item as? [String: Any] else {
                    throw ConfigError.wrongType(file: file, key: "\(path(key))[\(index)]", expected: "an object")
                }
                var r = Reader(file: file, object: dict, prefix: "\(path(key))[\(index)]")
                var credential = ServerConfig.OperatorCredential(name: "", password: "")
                try r.string("name", into: &credential.name, validate: { $0.isEmpty || $0.contains(" ") ? "must be one non-empty word" : nil })
                try r.string("password", into: &credential.password, validate: { $0.isEmpty ? "must not be empty" : nil })
                try r.string("hostMask", into: &credential.hostMask)
                if credential.name.isEmpty || credential.password.isEmpty {
                    throw ConfigError.invalidValue(file: file, key: "\(path(key))[\(index)]", reason: "needs both name and password")
                }
                try r.finish()
                return credential
            }
        }

        func finish() throws {
            if let unknown = object.keys.sorted().first(where: { !used.contains($0) }) {
                throw ConfigError.unknownKey(file: file, key: path(unknown))
            }
        }
    }
}
