/// One whole-number key of a `config.json` section, where it goes in the
/// section's struct, and the range the loader accepts for it.
///
/// Thread-safety: immutable; any thread.
public struct IntegerSetting<Section> {
    public let key: String
    public let range: ClosedRange<Int>
    public let keyPath: WritableKeyPath<Section, Int>
    /// A value below `range` that is accepted too because it turns the
    /// limit off (0), where the smallest working limit is far above it.
    public let off: Int?

    public init(_ key: String, _ keyPath: WritableKeyPath<Section, Int>, _ range: ClosedRange<Int>, off: Int? = nil) {
        self.key = key
        self.keyPath = keyPath
        self.range = range
        self.off = off
    }
}
