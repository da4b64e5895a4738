/// One long answer (a WHO, LIST or TRACE over many users or channels): the
/// things it lists, taken when the command came, and how to send one of
/// them and the end.
///
/// It holds one element per thing listed (a reference, 8 bytes) rather
/// than the lines, so a reply waiting on a slow reader's socket costs a
/// fraction of what its lines would in the send queue. Each line is made
/// when it is sent, from the state of that moment: `line` skips a user who
/// has left since (the listing is a snapshot of *who*, not of their lines).
///
/// The server and the asker are passed in rather than captured, so a reply
/// makes no cycle with them; what it lists it holds strongly (a user who
/// quits meanwhile stays in memory until the reply ends or its asker goes).
///
/// Thread-safety: loop thread only.
final class PacedReply {
    private let count: Int
    private var next = 0
    private let line: (IRCServer, Client, Int) -> Void
    private let end: (IRCServer, Client) -> Void
    /// The labelled response this reply belongs to, if its command had a
    /// label: installed again for every part sent after the command returned.
    var capture: LabelCapture?

    /// - Parameters:
    ///   - items: what the reply lists, in order.
    ///   - line: sends the line (or lines) for one item to the client.
    ///   - end: sends the closing numeric (315, 323, 262…).
    init<Item>(_ items: [Item], line: @escaping (IRCServer, Client, Item) -> Void,
               end: @escaping (IRCServer, Client) -> Void) {
        count = items.count
        self.line = { server, client, index in line(server, client, items[index]) }
        self.end = end
    }

    /// Sends items while the client's send queue is under `window` bytes
    /// (and always at least one, so a reply moves even beside a queue that
    /// other traffic keeps full); true when the end went out too.
    func send(on server: IRCServer, to client: Client, window: Int) -> Bool {
        var sentOne = false
        while next < count {
            if sentOne && client.transport.queuedBytes >= window { return false }
            line(server, client, next)
            next += 1
            sentOne = true
        }
        end(server, client)
        return true
    }

}
