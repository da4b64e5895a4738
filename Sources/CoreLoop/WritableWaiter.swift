/// One caller of `StreamConnection.notifyWhenWritable` waiting for its call.
///
/// Thread-safety: owned by one connection; loop thread only.
struct WritableWaiter {
    /// Called once the connection's queue holds at most this many bytes.
    let queuedAtMost: Int
    /// Set when the queue already held at most `queuedAtMost` bytes at
    /// registration: the caller writes outside the queue (`sendfile`), so
    /// only the kernel saying the socket is writable (EPOLLOUT) counts.
    let needsSocketWritable: Bool
    let callback: () -> Void
}
