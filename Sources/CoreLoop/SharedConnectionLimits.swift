/// One `ConnectionLimits` shared by every connection a listener accepts.
/// A connection holds a reference to it (8 bytes) instead of its own copy
/// (48): at tens of thousands of idle connections the copies were ~5 % of
/// a connection's memory, and the values are the listener's anyway.
///
/// Thread-safety: immutable; any thread.
public final class SharedConnectionLimits {
    public let value: ConnectionLimits

    public init(_ value: ConnectionLimits) {
        self.value = value
    }
}
