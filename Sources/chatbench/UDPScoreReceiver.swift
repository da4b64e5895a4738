import BenchKit
import CoreLoop

/// One UDP subscriber of the score stream: its own socket, the token it
/// presents to the server (and presents again before the lease lapses), and
/// the tally of the seqs that arrive.
///
/// Thread-safety: loop thread only.
final class UDPScoreReceiver {
    let token: [UInt8]
    private let server: SocketAddress
    private let socket: UDPSocket
    private(set) var tally: SeqTally
    /// The server answered a presentation with `OK`.
    private(set) var acknowledged = false
    private(set) var lastPresentedNanos: UInt64 = 0
    /// Event datagrams received (repeats included); `counting` gates `inWindow`.
    private(set) var datagrams = 0
    private(set) var inWindow = 0
    var counting = false
    /// Datagrams that were neither `OK` nor an event.
    private(set) var unreadable = 0

    init(loop: EventLoop, token: String, server: SocketAddress, firstExpected: Int64) throws {
        self.token = Array(token.utf8)
        self.server = server
        tally = SeqTally(firstExpected: firstExpected)
        socket = try UDPSocket(loop: loop, bindTo: try SocketAddress(host: "127.0.0.1", port: 0)) { _, _ in }
        socket.maxDatagramSize = 4096
        socket.onDatagram = { [unowned self] bytes, _ in received(bytes) }
    }

    /// Sends the token (first time, a retry, or a renewal).
    func present() {
        lastPresentedNanos = MonotonicClock.nanoseconds()
        _ = try? socket.send(token, to: server)
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count == 2 && bytes[0] == UInt8(ascii: "O") && bytes[1] == UInt8(ascii: "K") {
            acknowledged = true
            return
        }
        guard let seq = ScoreSeq.ofDatagram(bytes) else { unreadable += 1; return }
        datagrams += 1
        if counting { inWindow += 1 }
        tally.record(seq)
    }

    func close() { socket.close() }
}
