/// chatd's `--score-interval SECONDS` and `--score-seed N`, checked against
/// the same ranges as the config keys they override.
///
/// Thread-safety: pure functions; any thread.
public enum ScoresFlags {
    public static func apply(interval seconds: Double?, seed: Int?, to config: inout ScoresConfig) throws {
        if let seconds {
            let range = ConfigLoader.scoreSettings.first { $0.key == "intervalMillis" }!.range
            let millis = seconds * 1000
            guard millis.isFinite, millis >= Double(range.lowerBound), millis <= Double(range.upperBound) else {
                throw ConfigError.invalidValue(file: "command line", key: "--score-interval",
                                               reason: "must be \(Double(range.lowerBound) / 1000) to \(range.upperBound / 1000) seconds")
            }
            config.intervalMillis = Int(millis.rounded())
        }
        if let seed {
            let range = ConfigLoader.scoreSettings.first { $0.key == "seed" }!.range
            guard range.contains(seed) else {
                throw ConfigError.invalidValue(file: "command line", key: "--score-seed", reason: "must be \(range.lowerBound) to \(range.upperBound)")
            }
            config.seed = seed
        }
    }
}
