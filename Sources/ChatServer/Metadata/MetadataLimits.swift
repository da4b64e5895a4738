/// draft/metadata-2's limits, advertised in the capability's value
/// (`max-subs`, `max-keys`, `max-value-bytes`). Constants, not configuration
/// keys yet (as MONITOR's limit).
///
/// Thread-safety: constants; any thread.
enum MetadataLimits {
    /// Keys one connection may subscribe to.
    static let maxSubs = 50
    /// Keys one user may set on itself.
    static let maxKeys = 20
    /// Bytes of UTF-8 in one value: `:nick!user@host METADATA nick key * :value`
    /// must still fit in a 512-byte line with the longest nick, host and key.
    static let maxValueBytes = 300
    /// Bytes in a key name.
    static let maxKeyBytes = 64
    /// SET and CLEAR: a burst of this many, then one per `refillSeconds`.
    static let changeBurst = 10
    static let changesPerSecond = 1
    /// Keys in one GET or SUB (the line limit bounds it too).
    static let maxKeysPerRequest = 50

    /// The `draft/metadata-2=` value.
    static var capabilityValue: String { "max-subs=\(maxSubs),max-keys=\(maxKeys),max-value-bytes=\(maxValueBytes)" }
}
