/// A scenario that reads high-rate lines straight from the bytes (fan-out
/// deliveries, FILE DATA chunks) before `BenchClient` looks at them.
///
/// A protocol on an `unowned(unsafe)` reference rather than a stored
/// closure: calling a closure property retained and released its context
/// once per line, ~8 % of the fan-out generator's core.
///
/// Thread-safety: the generator's loop thread only.
protocol RawLineSink: AnyObject {
    /// Returns true when it took the line, which then skips the rest.
    func take(_ raw: UnsafeRawBufferPointer, from client: BenchClient) -> Bool
}
