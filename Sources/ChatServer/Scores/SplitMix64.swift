/// A small seeded random generator (SplitMix64), so the simulator plays the
/// same match for the same seed on every machine.
///
/// Thread-safety: a value type; any thread.
struct SplitMix64: RandomNumberGenerator, Equatable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`, from this generator only (the standard library's
    /// `Int.random(in:using:)` may change how it draws between versions).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
