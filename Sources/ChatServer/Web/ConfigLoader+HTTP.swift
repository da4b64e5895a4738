import CoreLoop
import Foundation

/// Reading the `http` section, with the range of each whole-number key.
///
/// Thread-safety: any thread, like the rest of the loader.
extension ConfigLoader {
    public static let httpSettings: [IntegerSetting<HTTPSettings>] = [
        IntegerSetting("maxHeaderBytes", \.maxHeaderBytes, 1024...1_048_576),
        IntegerSetting("maxBodyBytes", \.maxBodyBytes, 0...1_073_741_824),
        IntegerSetting("headerTimeoutSeconds", \.headerTimeoutSeconds, 1...maxSeconds),
        IntegerSetting("idleTimeoutSeconds", \.idleTimeoutSeconds, 1...maxSeconds),
        IntegerSetting("minBodyBytesPerSecond", \.minBodyBytesPerSecond, 0...1_073_741_824),
        IntegerSetting("maxBodyMemoryBytes", \.maxBodyMemoryBytes, 0...68_719_476_736),
        IntegerSetting("maxConnections", \.maxConnections, 0...1_000_000),
        IntegerSetting("maxConnectionsPerIP", \.maxConnectionsPerIP, 0...1_000_000),
    ]

    /// `http`: addresses, the web root, origins, the metrics allow-list and the numbers above.
    static func parseHTTP(_ reader: inout Reader, into config: inout ServerConfig) throws {
        guard var r = try reader.object("http") else { return }
        var h = config.http
        try r.strings("listen", into: &h.listen)
        try r.strings("tlsListen", into: &h.tlsListen)
        for (key, list) in [("listen", h.listen), ("tlsListen", h.tlsListen)] {
            for (index, address) in list.enumerated() {
                do {
                    _ = try SocketAddress(parsing: address)
                } catch {
                    throw ConfigError.invalidValue(file: r.file, key: r.path("\(key)[\(index)]"), reason: "\(error)")
                }
            }
        }
        try r.string("webRoot", into: &h.webRoot, validate: { $0.isEmpty ? "must not be empty" : nil })
        if let raw = r.value("allowedOrigins") {
            if raw is NSNull {
                h.allowedOrigins = nil
            } else {
                var list: [String] = []
                r.used.remove("allowedOrigins")
                try r.strings("allowedOrigins", into: &list)
                h.allowedOrigins = list.map(OriginPolicy.normalize)
            }
        }
        try r.strings("metricsAllow", into: &h.metricsAllow)
        try r.ints(httpSettings, into: &h)
        try r.finish()
        config.http = h
    }
}
