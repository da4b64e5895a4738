/// The send queue passing its hard limit: the peer is not reading, so the
/// connection ends ("SendQ exceeded").
///
/// Not closed at once: the delegate would hear of it inside the caller's
/// write, often in the middle of a loop over a channel's members. The queue
/// is dropped now and the close finished in the before-sleep flush, which
/// makes one attempt to send what is left and then closes without waiting
/// for the peer (it is the one not reading).
///
/// What is left, for a delegate that speaks a line protocol and offers a
/// farewell (`farewellAfterSendQueueOverflow`): the rest of the line the
/// kernel had started taking, so the peer's last line is whole, then the
/// farewell (IRC's `ERROR :Closing Link: … (SendQ exceeded)`). Without one,
/// nothing: a framed protocol's frame cannot be cut to a line.
///
/// Thread-safety: loop thread only.
extension StreamConnection {
    func overflowed() {
        if let farewell = delegate?.farewellAfterSendQueueOverflow(self) {
            outbound.keepRestOfStartedLine()
            farewell.withUnsafeBytes { outbound.append(copying: $0) }
        } else {
            outbound.removeAll()
        }
        state = .closing
        pendingReason = .sendQueueExceeded
        scheduleFlush()
    }
}
