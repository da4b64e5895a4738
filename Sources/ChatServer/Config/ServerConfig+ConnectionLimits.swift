import CoreLoop

extension ServerConfig {
    /// The socket-level limits every client connection gets, derived from
    /// `limits`: the send queue's hard limit and water marks, and the most
    /// unconsumed input a connection may hold.
    public var connectionLimits: ConnectionLimits {
        var socket = ConnectionLimits()
        socket.outboundHardLimit = limits.sendQueueBytes
        // Water marks at a half and an eighth of the send queue; with no
        // send-queue limit (0) they sit far above anything that is queued.
        socket.outboundHighWater = limits.sendQueueBytes > 0 ? limits.sendQueueBytes / 2 : 1 << 30
        socket.outboundLowWater = socket.outboundHighWater / 4
        // The framer drops overlong lines itself; this bounds one partial
        // line plus whatever flood control holds back, with room for both.
        let line = limits.maxLineLength.addingReportingOverflow(limits.maxTagsLength)
        let held = max(limits.floodBacklogBytes, line.overflow ? Int.max : line.partialValue)
        socket.maxInboundBytes = held > Int.max / 2 ? Int.max : held * 2
        return socket
    }
}
