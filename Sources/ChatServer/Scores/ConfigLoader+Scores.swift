import CoreLoop

/// Reads the `scores` section; its whole-number keys and their ranges are
/// one table, as in `ConfigLoader+Ranges.swift`.
extension ConfigLoader {
    public static let scoreSettings: [IntegerSetting<ScoresConfig>] = [
        IntegerSetting("simulatorMatches", \.simulatorMatches, 1...100),
        IntegerSetting("intervalMillis", \.intervalMillis, 10...3_600_000),
        IntegerSetting("seed", \.seed, 0...999_999_999),
        IntegerSetting("maxMatches", \.maxMatches, 1...100_000),
        IntegerSetting("maxEventsPerMatch", \.maxEventsPerMatch, 10...100_000),
        IntegerSetting("maxFollowsPerConnection", \.maxFollowsPerConnection, 1...1000),
        IntegerSetting("maxFollowers", \.maxFollowers, 1...1_000_000),
        IntegerSetting("udpPerConnection", \.udpPerConnection, 1...100),
        IntegerSetting("udpMaxSubscribers", \.udpMaxSubscribers, 1...1_000_000),
        IntegerSetting("udpLeaseSeconds", \.udpLeaseSeconds, 1...3600),
        IntegerSetting("ingestMaxLines", \.ingestMaxLines, 1...100_000),
        IntegerSetting("finishedRoomSeconds", \.finishedRoomSeconds, 0...604_800),
    ]

    static func parseScores(_ reader: inout Reader, into config: inout ServerConfig) throws {
        guard var r = try reader.object("scores") else { return }
        var s = config.scores
        try r.bool("simulator", into: &s.simulator)
        try r.ints(scoreSettings, into: &s)
        try r.optionalString("udpListen", into: &s.udpListen)
        if let text = s.udpListen {
            do {
                _ = try SocketAddress(parsing: text)
            } catch {
                throw ConfigError.invalidValue(file: r.file, key: r.path("udpListen"), reason: "\(error)")
            }
        }
        try r.finish()
        config.scores = s
    }
}
