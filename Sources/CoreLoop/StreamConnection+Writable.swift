/// "Tell me when this connection can take more": a one-shot callback for
/// producers that should not queue everything at once (a file download, a
/// `sendfile` body), so they neither poll on a timer nor fill the queue.
///
/// Two cases, chosen by the queue's size when the caller asks:
/// - more than `queuedAtMost` bytes queued: the callback runs as soon as a
///   flush leaves at most `queuedAtMost` (the producer tops the queue up
///   again before it runs dry; `EPOLLOUT` is armed anyway while bytes wait);
/// - at most that already: the caller writes outside the queue (`sendfile`
///   after EAGAIN), so `EPOLLOUT` is armed for it and the callback runs
///   when the kernel reports the socket writable.
///
/// The callback runs on the loop thread, inside the flush or the writable
/// event that satisfied it, and only while the connection is open. It may
/// write; a producer with much to write should note the wake-up and write
/// from a later point of the turn (a zero-delay timer), so that one
/// connection cannot keep the before-sleep flush phase going. If the
/// connection closes first the callback is dropped uncalled (the delegate
/// hears the close). Several callers may wait at once.
///
/// Thread-safety: loop thread only, like the connection.
extension StreamConnection {
    /// Calls `callback` once when the connection can take more (see above).
    /// Returns false, and never calls it, if the connection is not open.
    @discardableResult
    public func notifyWhenWritable(queuedAtMost mark: Int = 0, _ callback: @escaping () -> Void) -> Bool {
        loop.assertInLoop()
        guard state == .open else { return false }
        let needsSocket = outbound.byteCount <= mark
        writableWaiters.append(WritableWaiter(queuedAtMost: mark, needsSocketWritable: needsSocket, callback: callback))
        if needsSocket { updateInterest() }  // arms EPOLLOUT for it
        return true
    }

    /// Callers still waiting for `notifyWhenWritable`.
    public var writableWaiterCount: Int { writableWaiters.count }

    /// Runs the callbacks whose condition now holds. `socketWritable`: the
    /// kernel just reported EPOLLOUT, which also satisfies the waiters of
    /// `sendfile`-style callers.
    func fireWritableWaiters(socketWritable: Bool) {
        guard state == .open, !writableWaiters.isEmpty else { return }
        let queued = outbound.byteCount
        var ready: [WritableWaiter] = []
        // Taken out first: a callback may ask again (appending) or close us.
        writableWaiters.removeAll { waiter in
            guard queued <= waiter.queuedAtMost, socketWritable || !waiter.needsSocketWritable else { return false }
            ready.append(waiter)
            return true
        }
        for waiter in ready {
            guard state == .open else { return }
            waiter.callback()
        }
    }
}
