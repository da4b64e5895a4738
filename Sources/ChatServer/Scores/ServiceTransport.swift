import CoreLoop

/// Where the score service user's output goes: nowhere. It is a channel
/// member only so that the rooms exist, show it in NAMES, and let it speak
/// in a moderated channel.
///
/// Thread-safety: loop thread only.
final class ServiceTransport: ClientTransport {
    func send(_ chunk: ByteChunk) -> Bool { true }
    func close(reason: String, afterFlush: Bool) {}
    var queuedBytes: Int { 0 }
    var pendingInputBytes: Int { 0 }
    var bytesIn: UInt64 { 0 }
    var bytesOut: UInt64 { 0 }
    func pauseReading() {}
    func resumeReading() {}
}
