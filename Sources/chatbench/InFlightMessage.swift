/// A fan-out message still missing receivers.
///
/// Thread-safety: a value; the generator's loop thread.
struct InFlightMessage {
    var seq: UInt64 = 0
    /// Receivers that have not had it yet; 0 when the slot is free.
    var waitingFor = 0
    /// Monotonic nanoseconds at send: the completion latency's start.
    var sentAt: UInt64 = 0
}
