import CoreLoop

/// Sends long answers as the client's socket drains instead of all at once.
///
/// A `WHO *` on a server with 20,000 users is ~1.6 MB of 352 lines; queued
/// in one go from one handler it would pass the send-queue limit (1 MiB by
/// default) and the asker would be dropped with "SendQ exceeded", and a
/// `LIST` of channels with long topics likewise. So a command that lists
/// many things hands them here as a `PacedReply`: what fits in the client's
/// window goes out at once (every short answer: nothing else changes for
/// it); the rest follows each time the queue has drained to a quarter of
/// the window (`ClientTransport.notifyWhenWritable`), one part per loop
/// turn, until the end numeric.
///
/// Meanwhile the command counts as unanswered (`LaterAnswers.hold`): the
/// client's later lines wait unread, so `WHO *` then `PING` still gets its
/// PONG after the 315, and a labelled command's response becomes a batch
/// that is sent as it grows (`LabelCapture.stream`). Channel traffic to the
/// client flows between the parts. Each part sent counts as a sign of life
/// (`Client.lastInputNanos`). A client that stops reading stops its reply;
/// its input is not read either, and the timeout sweep treats it as one
/// waiting on the server (`pendingAnswers`): no PING for twice the ping
/// deadline after its last part, then pinged and timed out as any other.
///
/// Without a scheduler (handler tests) parts are sent from the drain
/// callback itself.
///
/// Thread-safety: loop thread only.
final class PacedReplies: ServerObserver {
    unowned let server: IRCServer
    /// Runs work later on the loop (the daemon: a loop timer); nil in tests.
    var scheduler: ((Nanoseconds, @escaping () -> Void) -> Void)?
    /// Replies still being sent, per client id, in order. A second one can
    /// only come from a command not read from the client's input (its input
    /// is held meanwhile); none does today, so it simply queues behind
    /// (without a label of its own: such a command has none).
    private var waiting: [UInt64: [PacedReply]] = [:]

    /// The most a reply adds to a send queue before waiting for it to drain.
    static let window = 65_536

    init(server: IRCServer) {
        self.server = server
    }

    /// The window for a client whose transport closes past `sendQueueLimit`
    /// queued bytes (0: no limit): at most a quarter of it, so a reply plus
    /// the channel traffic beside it stays far from "SendQ exceeded".
    static func window(sendQueueLimit: Int) -> Int {
        guard sendQueueLimit > 0 else { return window }
        return max(1_024, min(window, sendQueueLimit / 4))
    }

    /// Sends `reply` to `client`: now, as far as the window allows, and
    /// the rest as the socket drains.
    func send(_ reply: PacedReply, to client: Client) {
        if waiting[client.id] != nil {
            reply.capture = client.labelCapture
            waiting[client.id]!.append(reply)
            return
        }
        if reply.send(on: server, to: client, window: window(of: client)) { return }
        reply.capture = client.labelCapture
        // From now on the labelled response goes out as it is made.
        reply.capture?.stream()
        LaterAnswers.hold(client)
        waiting[client.id] = [reply]
        wait(for: client)
    }

    /// Replies not finished (tests).
    var count: Int { waiting.values.reduce(0) { $0 + $1.count } }

    private func window(of client: Client) -> Int {
        Self.window(sendQueueLimit: client.connection.sendQueueLimit)
    }

    private func wait(for client: Client) {
        let id = client.id
        let armed = client.connection.notifyWhenWritable(queuedAtMost: window(of: client) / 4) { [unowned self] in
            if let scheduler = self.scheduler {
                // Not inside the connection's flush: a part is encoded on a
                // loop turn of its own.
                scheduler(Nanoseconds(0)) { [unowned self] in self.resume(id) }
            } else {
                self.resume(id)
            }
        }
        guard !armed else { return }
        if client.connection.isOpen {
            // A transport that cannot say when it drains (no socket under
            // it: tests, services) gets the rest at once rather than never.
            resume(id, window: .max)
        } else {
            // Closing (its queue passed the limit, or the peer left): nothing
            // more can arrive; its quit follows (`Departures`).
            waiting[id] = nil
        }
    }

    private func resume(_ id: UInt64, window fixed: Int? = nil) {
        guard waiting[id] != nil, let client = server.clients[id], client.state != .quitting,
              client.connection.isOpen else {
            waiting[id] = nil
            return
        }
        // The client read what was sent: alive, though its input waits.
        client.lastInputNanos = server.clock.monotonicNanos
        while let reply = waiting[id]?.first {
            let outer = client.labelCapture
            client.labelCapture = reply.capture
            let done = reply.send(on: server, to: client, window: fixed ?? window(of: client))
            client.labelCapture = outer
            guard done else { return wait(for: client) }
            waiting[id]?.removeFirst()
        }
        waiting[id] = nil
        LaterAnswers.release(client, on: server)
    }

    // MARK: ServerObserver

    func clientQuit(_ client: Client, reason: String) {
        waiting[client.id] = nil
    }
}
