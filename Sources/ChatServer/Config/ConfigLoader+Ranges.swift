/// The allowed range of every whole-number key, in one table that the loader
/// reads with, the tests walk and the README's config table repeats.
///
/// Why every key has an upper bound: the server multiplies some of these into
/// nanoseconds (`UInt64(seconds) * 1_000_000_000` traps past ~584 years),
/// adds others together or sizes buffers by them, and `reload` applies most of
/// them to a running server. The bounds are far beyond any sensible setting
/// and far below where any of that arithmetic overflows; 0 stays allowed
/// where it lifts a limit.
extension ConfigLoader {
    /// A day: the longest timeout or window that is still a timeout.
    public static let maxSeconds = 86_400

    public static let limitSettings: [IntegerSetting<ServerConfig.Limits>] = [
        IntegerSetting("maxLineLength", \.maxLineLength, 512...65_536),
        IntegerSetting("maxTagsLength", \.maxTagsLength, 0...65_536),
        // 0 lifts the limit; below 4 KiB a client would be dropped for SendQ
        // at its own welcome burst (~2 KB), so such a limit is refused.
        IntegerSetting("sendQueueBytes", \.sendQueueBytes, 4096...1_073_741_824, off: 0),
        IntegerSetting("floodBurst", \.floodBurst, 0...10_000),
        IntegerSetting("floodLinesPerSecond", \.floodLinesPerSecond, 0...10_000),
        IntegerSetting("floodBacklogBytes", \.floodBacklogBytes, 1024...67_108_864),
        IntegerSetting("maxConnections", \.maxConnections, 0...1_000_000),
        IntegerSetting("maxConnectionsPerIP", \.maxConnectionsPerIP, 0...1_000_000),
        IntegerSetting("maxChannelsPerUser", \.maxChannelsPerUser, 1...10_000),
        IntegerSetting("nickLength", \.nickLength, 1...200),
        IntegerSetting("userLength", \.userLength, 1...200),
        IntegerSetting("realNameLength", \.realNameLength, 1...400),
        IntegerSetting("channelLength", \.channelLength, 2...200),
        IntegerSetting("topicLength", \.topicLength, 1...400),
        IntegerSetting("kickReasonLength", \.kickReasonLength, 1...400),
        IntegerSetting("awayLength", \.awayLength, 1...400),
        IntegerSetting("maxTargets", \.maxTargets, 1...100),
        IntegerSetting("maxBans", \.maxBans, 1...10_000),
        IntegerSetting("registrationTimeoutSeconds", \.registrationTimeoutSeconds, 1...maxSeconds),
        IntegerSetting("pingIntervalSeconds", \.pingIntervalSeconds, 1...maxSeconds),
        IntegerSetting("pingTimeoutSeconds", \.pingTimeoutSeconds, 1...maxSeconds),
        IntegerSetting("whowasEntries", \.whowasEntries, 0...100_000),
        IntegerSetting("multilineMaxBytes", \.multilineMaxBytes, 512...1_048_576),
        IntegerSetting("multilineMaxLines", \.multilineMaxLines, 1...10_000),
    ]

    public static let accountSettings: [IntegerSetting<ServerConfig.Accounts>] = [
        IntegerSetting("minPasswordLength", \.minPasswordLength, 1...1024),
        IntegerSetting("loginMaxFailures", \.loginMaxFailures, 0...1000),
        IntegerSetting("loginFailureWindowSeconds", \.loginFailureWindowSeconds, 1...maxSeconds),
        IntegerSetting("registrationsPerAddressPerHour", \.registrationsPerAddressPerHour, 0...100_000),
        IntegerSetting("registrationsPerHour", \.registrationsPerHour, 0...1_000_000),
        IntegerSetting("unusedAccountExpiryDays", \.unusedAccountExpiryDays, 0...36_500),
    ]

    public static let historySettings: [IntegerSetting<ServerConfig.History>] = [
        IntegerSetting("replayOnJoin", \.replayOnJoin, 0...1000),
        IntegerSetting("flushIntervalMillis", \.flushIntervalMillis, 1...60_000),
        IntegerSetting("flushBatchSize", \.flushBatchSize, 1...100_000),
        IntegerSetting("maxChathistoryLimit", \.maxChathistoryLimit, 1...10_000),
        IntegerSetting("maxAgeDays", \.maxAgeDays, 0...36_500),
        IntegerSetting("maxMessagesPerTarget", \.maxMessagesPerTarget, 0...1_000_000_000),
        IntegerSetting("topicRetentionDays", \.topicRetentionDays, 0...36_500),
    ]

    /// Every whole-number key by its full name (`limits.nickLength`) with its range (and the value that turns it off, if any).
    public static var integerKeys: [(key: String, range: ClosedRange<Int>, off: Int?)] {
        limitSettings.map { ("limits." + $0.key, $0.range, $0.off) }
            + accountSettings.map { ("accounts." + $0.key, $0.range, $0.off) }
            + historySettings.map { ("history." + $0.key, $0.range, $0.off) }
            + scoreSettings.map { ("scores." + $0.key, $0.range, $0.off) }
            + fileSettings.map { ("files." + $0.key, $0.range, $0.off) }
            + httpSettings.map { ("http." + $0.key, $0.range, $0.off) }
    }
}
