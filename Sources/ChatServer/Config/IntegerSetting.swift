/// One whole-number key of a `config.json` section, where it goes in the
/// section's struct, and the range the loader accepts for it.
///
/// Thread-safety: immutable; any thread.
public struct IntegerSetting<Section> {
    public let key: String
    public let range: ClosedRange<Int>
    public let keyPath: WritableKeyPath<Section, Int>

    public init(_ key: String, _ keyPath: WritableKeyPath<Section, Int>, _ range: ClosedRange<Int>) {
        self.key = key
        self.keyPath = keyPath
        self.range = range
    }
}
