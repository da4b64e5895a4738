/// A scenario that reads high-rate lines straight from the bytes (fan-out
/// deliveries, FILE DATA chunks) before `BenchClient` looks at them.
///
/// A base class, held by clients as `Unmanaged` and called through
/// `_withUnsafeGuaranteedRef`, rather than a stored closure or a protocol
/// existential: calling a closure property retained and released its
/// context once per line (~8 % of the fan-out generator's core), and an
/// `unowned(unsafe)` existential was still retained and released around
/// every call (~10 %). A subclass overrides `take`.
///
/// Thread-safety: the generator's loop thread only.
class RawLineSink {
    /// Returns true when it took the line, which then skips the rest.
    func take(_ raw: UnsafeRawBufferPointer, from client: BenchClient) -> Bool { false }
}
