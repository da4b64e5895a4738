import CoreLoop
import ScoreFeed

/// The UDP score stream: one socket on the loop, the tokens, and the
/// datagrams. A datagram that is exactly a live token (from any port of
/// its chat connection's address) makes that address the token's destination and is answered with `OK`
/// (2 bytes, smaller than the 32-byte token); anything else is dropped
/// without an answer, so the socket never sends more than it receives to an
/// address that has not proved it asked. A token counts only from the
/// machine of the chat connection it was issued to (`UDPSubscriptions`):
/// with a forged source address it is ignored.
///
/// Thread-safety: loop thread only.
final class UDPScoreFeed {
    private let socket: UDPSocket
    private let clock: ServerClock
    private(set) var subscriptions = UDPSubscriptions()
    private let leaseNanos: UInt64
    private let perConnection: Int
    private let maxTotal: Int
    private var random = SystemRandomNumberGenerator()
    /// Counters for `chatctl status` and the benchmark.
    private(set) var datagramsSent: UInt64 = 0
    private(set) var tokensAccepted: UInt64 = 0
    private(set) var datagramsIgnored: UInt64 = 0

    var port: Int { socket.address.port ?? 0 }
    var datagramsDropped: UInt64 { socket.datagramsDropped }

    init(loop: EventLoop, address: SocketAddress, clock: ServerClock, config: ScoresConfig) throws {
        self.clock = clock
        leaseNanos = UInt64(config.udpLeaseSeconds) * 1_000_000_000
        perConnection = config.udpPerConnection
        maxTotal = config.udpMaxSubscribers
        socket = try UDPSocket(loop: loop, bindTo: address) { _, _ in }
        socket.maxDatagramSize = UDPToken.length + 1
        socket.onDatagram = { [unowned self] bytes, sender in self.received(bytes, from: sender) }
    }

    /// A fresh token for `client`'s subscription to `match`.
    func issue(match: Int64, client: Client) throws -> String {
        var token = ""
        repeat {
            token = (0..<4).map { _ in
                let hex = String(random.next() as UInt32, radix: 16)
                return String(repeating: "0", count: 8 - hex.count) + hex
            }.joined()
        } while subscriptions.byToken[token] != nil
        try subscriptions.issue(token, match: match, client: client.id, host: client.host, now: clock.monotonicNanos, leaseNanos: leaseNanos,
                                perConnection: perConnection, maxTotal: maxTotal)
        return token
    }

    func revoke(_ token: String, client: Client) -> Bool { subscriptions.revoke(token, client: client.id) }

    func drop(_ client: Client) { subscriptions.drop(client: client.id) }

    /// A retired match: its tokens stop working, as after UDPSTOP.
    func drop(match: Int64) { subscriptions.drop(match: match) }

    func sweep() { subscriptions.sweep(now: clock.monotonicNanos) }

    private func received(_ bytes: UnsafeRawBufferPointer, from sender: SocketAddress) {
        guard let token = UDPToken.parse(bytes),
              subscriptions.present(token, from: sender, now: clock.monotonicNanos, leaseNanos: leaseNanos) else {
            datagramsIgnored &+= 1
            return
        }
        tokensAccepted &+= 1
        // Never larger than what the sender sent (a token is 32 bytes).
        _ = try? socket.send(UDPToken.acknowledgement, to: sender)
    }

    /// Sends `datagram` (encoded once) to every live subscriber of its match.
    func publish(_ datagram: [UInt8], match: Int64) {
        let destinations = subscriptions.destinations(of: match, now: clock.monotonicNanos)
        guard !destinations.isEmpty else { return }
        datagram.withUnsafeBytes { bytes in
            for address in destinations where (try? socket.send(bytes, to: address)) == true {
                datagramsSent &+= 1
            }
        }
    }

    func close() { socket.close() }
}
