import ArgumentParser

/// How long a ban lasts, as `chatctl ban --duration` reads it: plain seconds
/// (`3600`) or a number with a unit (`90s`, `30m`, `12h`, `7d`). Parsed on the
/// command line's thread before anything is sent.
///
/// Negative and zero durations are refused here with a clear message rather
/// than by ArgumentParser, which would read `-5` as an unknown flag.
struct BanDuration: ExpressibleByArgument {
    /// The duration in seconds, always > 0.
    let seconds: Double

    /// Seconds per unit suffix.
    private static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    init?(argument: String) {
        var text = argument.lowercased()
        var scale = 1.0
        if let last = text.last, let unit = Self.units[last] {
            scale = unit
            text.removeLast()
        }
        guard let value = Double(text), value.isFinite, value > 0, (value * scale).isFinite else { return nil }
        seconds = value * scale
    }

    static var defaultValueDescription: String { "permanent" }
}
