/// Something registered with an `EventLoop` that reacts to readiness.
///
/// The loop calls, in this order and only while the registration is still the
/// same one: `handleHangup` on error/hang-up, then `handleWritable`, then
/// `handleReadable`. A callback may close the object; the loop notices and
/// skips the rest.
///
/// Thread-safety: loop thread only.
public protocol Selectable: AnyObject {
    /// EPOLLERR or EPOLLHUP. `error` is true for EPOLLERR.
    func handleHangup(error: Bool)
    func handleWritable()
    /// Readable, or the peer shut its writing side (read returns 0 then).
    func handleReadable()
    /// The loop is closing (`EventLoop.close()`): close the descriptor now,
    /// as an ordinary close would. The default does nothing; the loop then
    /// only forgets the registration, and the descriptor is the handler's to
    /// close.
    func loopWillClose()
}

extension Selectable {
    public func handleHangup(error: Bool) {}
    public func handleWritable() {}
    public func loopWillClose() {}
}

/// Something with output queued that the loop flushes in its before-sleep phase.
///
/// Thread-safety: loop thread only.
public protocol BeforeSleepFlushable: AnyObject {
    func flushBeforeSleep()
}
