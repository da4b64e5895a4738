import CoreLoop

/// Clients whose connections ended (the peer closed, reset, or a read or
/// write failed) quit together rather than one by one.
///
/// Each quit tells every member of the client's channels. When a crowd of
/// one channel goes at once (a proxy or NAT gateway in front of thousands
/// of users drops, a load tool exits), one by one is quadratic: each QUIT is
/// queued to every member still listed, and they are gone too, which the
/// server learns only as their hang-ups come out of the kernel, 1,024 per
/// `epoll_wait`. A 6,000-member crowd queued 18 million lines to dead
/// sockets and held the loop for seconds (docs/BENCHMARKS.md, "A crowd
/// leaving at once").
///
/// So a hang-up is noted here, and the batch is quit on a later loop turn,
/// once a wait has come back with fewer events than it can hold (the
/// kernel had no more hang-ups ready), or after `maxTurnsGathering` turns
/// at most, so a server busy enough to fill every wait still quits them.
/// `quitTogether` takes the whole batch out of its channels first, then
/// tells the members left. A lone hang-up waits one loop turn. The timeout
/// sweep hands the users it times out in one pass to `quitTogether` too.
///
/// Meanwhile the client is still listed: its nick is taken, a message to
/// it is queued to a closing connection and dropped. A quit by another
/// path first (KILL, the timeout sweep) makes the batch skip it.
///
/// Without a loop (handler tests) a hang-up quits at once.
///
/// Thread-safety: loop thread only.
final class Departures {
    unowned let server: IRCServer
    /// The daemon's loop; nil: quit at once.
    var loop: EventLoop?
    private var batch: [(client: Client, reason: String)] = []
    /// Ids in `batch`: a connection reports its end twice (EOF, then the close).
    private var noted = Set<UInt64>()
    private var turnsGathering = 0

    /// Turns a batch may wait for more hang-ups (each turn takes up to 1,024
    /// events): enough for the largest crowd one loop holds (~16,000).
    static let maxTurnsGathering = 16

    init(server: IRCServer) {
        self.server = server
    }

    /// Hang-ups noted and not yet quit (tests).
    var count: Int { batch.count }

    /// `client`'s connection ended with `reason`.
    func add(_ client: Client, reason: String) {
        guard client.state != .quitting else { return }
        guard let loop else { return server.quit(client, reason: reason, tellClient: false) }
        guard noted.insert(client.id).inserted else { return }
        if batch.isEmpty {
            turnsGathering = 0
            loop.execute { [unowned self] in self.gather() }
        }
        batch.append((client, reason))
    }

    /// At the start of a turn: quit the batch, or wait one more turn if the
    /// last wait may have left hang-ups in the kernel.
    private func gather() {
        guard let loop, !batch.isEmpty else { return }
        if loop.lastWaitWasFull && turnsGathering < Self.maxTurnsGathering {
            turnsGathering += 1
            loop.execute { [unowned self] in self.gather() }
            return
        }
        let leaving = batch
        batch = []
        noted.removeAll(keepingCapacity: false)
        quitTogether(leaving)
    }

    /// Quits `batch` together: all of them leave their channels first, then
    /// each one's QUIT goes to the members left, so nobody of the batch is
    /// sent the others' QUITs: one pass over the members, not one per
    /// departure. `tellClient` as for `IRCServer.quit` (the sweep's
    /// timed-out users get their ERROR; a hung-up connection cannot).
    func quitTogether(_ batch: [(client: Client, reason: String)], tellClient: Bool = false) {
        var leaving: [(client: Client, reason: String, wasRegistered: Bool, rooms: [Channel])] = []
        leaving.reserveCapacity(batch.count)
        for (client, reason) in batch where client.state != .quitting {
            let wasRegistered = client.isRegistered
            server.startQuit(client, reason: reason)
            let rooms = Array(client.channels.values)
            for channel in rooms { server.removeMember(client, from: channel) }
            leaving.append((client, reason, wasRegistered, rooms))
        }
        for (client, reason, wasRegistered, rooms) in leaving {
            if wasRegistered && !rooms.isEmpty {
                let quitLine = IRCMessage(source: client.mask, command: "QUIT", params: [reason])
                tell(quitLine, toMembersOf: rooms)
            }
            server.finishQuit(client, reason: reason, wasRegistered: wasRegistered, tellClient: tellClient)
        }
    }

    /// Sends `message` once to each member of `rooms` (a member of several
    /// gets it once): the QUIT of a client already out of them.
    private func tell(_ message: IRCMessage, toMembersOf rooms: [Channel]) {
        var fanout = Fanout(message, time: server.currentTime())
        if rooms.count == 1 {
            _ = fanout.deliver(to: rooms[0].roster.entries, except: Fanout.nobody, minimum: [])
            return
        }
        var seen = Set<UInt64>()
        for channel in rooms {
            for member in channel.members.values where seen.insert(member.client.id).inserted {
                member.client.transport.send(fanout.chunk(for: member.client.caps))
            }
        }
    }
}
