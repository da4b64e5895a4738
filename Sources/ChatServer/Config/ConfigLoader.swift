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
        // Relative paths in the file name places beside it (ServerConfig+Paths.swift).
        return try parse(data, file: file).resolvingRelativePaths(against: ServerConfig.folder(ofFile: file))
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
        try readListen(&reader, into: &config)  // strings, or {"address", "tls"} objects
        try reader.string("dataDir", into: &config.dataDir, validate: { $0.isEmpty ? "must not be empty" : nil })
        try reader.optionalString("motd", into: &config.motd)
        try reader.optionalString("motdFile", into: &config.motdFile)
        try reader.optionalString("serverInfo", into: &config.serverInfo)
        try reader.optionalString("adminLocation", into: &config.adminLocation)
        try reader.optionalString("adminEmail", into: &config.adminEmail)
        try reader.optionalString("serverPassword", into: &config.serverPassword)
        try reader.optionalString("consoleSocket", into: &config.consoleSocket)
        try reader.string("logLevel", into: &config.logLevel, validate: {
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains($0) ? nil : "must be one of trace, debug, info, notice, warning, error, critical"
        })
        try reader.operators("operators", into: &config.operators)
        try reader.int("shutdownTimeoutSeconds", into: &config.shutdownTimeoutSeconds, in: 0...3600)
        if var r = try reader.object("limits") {
            try r.ints(limitSettings, into: &config.limits)
            try r.finish()
        }
        if var r = try reader.object("accounts") {
            var a = config.accounts
            try r.bool("allowRegistration", into: &a.allowRegistration)
            try r.bool("requireEmail", into: &a.requireEmail)
            try r.bool("registerBeforeConnect", into: &a.registerBeforeConnect)
            try r.ints(accountSettings, into: &a)
            try r.strings("operatorAccounts", into: &a.operatorAccounts)
            try r.finish()
            config.accounts = a
        }
        if var r = try reader.object("history") {
            try r.ints(historySettings, into: &config.history)
            try r.finish()
        }
        if var r = try reader.object("tls") { try readTLS(&r, into: &config.tls) }
        try parseScores(&reader, into: &config)
        try parseFiles(&reader, into: &config)
        try parseHTTP(&reader, into: &config)
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

        /// Reads each setting present in this object; a missing key keeps its default.
        mutating func ints<Section>(_ settings: [IntegerSetting<Section>], into section: inout Section) throws {
            for setting in settings {
                try int(setting.key, into: &section[keyPath: setting.keyPath], in: setting.range, off: setting.off)
            }
        }

        mutating func int(_ key: String, into target: inout Int, in range: ClosedRange<Int>, off: Int? = nil) throws {
            guard let raw = value(key) else { return }
            if let off, case .success(off) = WholeNumber.read(raw, in: off...off) {
                target = off
                return
            }
            switch WholeNumber.read(raw, in: range) {
            case .success(let n):
                target = n
            case .failure(.outOfRange(let shown, let range)) where off != nil:
                throw ConfigError.invalidValue(file: file, key: path(key),
                                               reason: "\(shown) is out of range: must be \(off!) (no limit) or \(WholeNumberError.describe(range))")
            case .failure(.notAWholeNumber):
                throw ConfigError.wrongType(file: file, key: path(key), expected: "a whole number")
            case .failure(.outOfRange(let shown, let range)):
                throw ConfigError.invalidValue(file: file, key: path(key),
                                               reason: "\(shown) is out of range: must be \(WholeNumberError.describe(range))")
            }
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
