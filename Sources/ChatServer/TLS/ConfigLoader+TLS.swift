import CoreLoop
import Foundation

/// The TLS parts of `config.json`: `listen` entries that are objects
/// (`{"address": "127.0.0.1:6697", "tls": true}`) beside plain strings, and
/// the `tls` section.
///
/// Thread-safety: any thread, like the rest of the loader.
extension ConfigLoader {
    public static let tlsSettings: [IntegerSetting<TLSSettings>] = [
        IntegerSetting("handshakeTimeoutSeconds", \.handshakeTimeoutSeconds, 1...600),
        IntegerSetting("stsDurationSeconds", \.stsDurationSeconds, 0...63_072_000),
    ]

    /// Reads `listen`: each entry a `HOST:PORT` string (plain) or an object
    /// with `address` and an optional `tls` flag. Sorts them into plain and
    /// TLS addresses; a missing key keeps the defaults.
    static func readListen(_ reader: inout Reader, into config: inout ServerConfig) throws {
        guard let raw = reader.value("listen") else { return }
        let file = reader.file
        guard let list = raw as? [Any] else {
            throw ConfigError.wrongType(file: file, key: "listen", expected: "a list of addresses or {\"address\", \"tls\"} objects")
        }
        var plain: [String] = [], secure: [String] = []
        for (index, item) in list.enumerated() {
            let key = "listen[\(index)]"
            var address: String, tls = false
            if let text = item as? String {
                address = text
            } else if let object = item as? [String: Any] {
                var r = Reader(file: file, object: object, prefix: key)
                address = ""
                try r.string("address", into: &address)
                try r.bool("tls", into: &tls)
                try r.finish()
                if address.isEmpty { throw ConfigError.invalidValue(file: file, key: key + ".address", reason: "is required") }
            } else {
                throw ConfigError.wrongType(file: file, key: key, expected: "an address string or an object")
            }
            do {
                _ = try SocketAddress(parsing: address)
            } catch {
                throw ConfigError.invalidValue(file: file, key: key, reason: "\(error)")
            }
            if tls { secure.append(address) } else { plain.append(address) }
        }
        config.listen = plain
        config.tlsListen = secure
    }

    /// Reads the `tls` section.
    static func readTLS(_ reader: inout Reader, into settings: inout TLSSettings) throws {
        try reader.optionalString("certificate", into: &settings.certificateFile)
        try reader.optionalString("key", into: &settings.keyFile)
        try reader.ints(tlsSettings, into: &settings)
        if (settings.certificateFile == nil) != (settings.keyFile == nil) {
            throw ConfigError.invalidValue(file: reader.file, key: reader.path(settings.keyFile == nil ? "key" : "certificate"),
                                           reason: "certificate and key go together: give both or neither")
        }
        try reader.finish()
    }
}
