/// Answers that come back from a worker (a history read, a log-in check, a
/// file listing) stay in order with the rest of a client's conversation:
///
/// - the client's later lines wait, unread, until every answer to its last
///   command is in, so `CHATHISTORY …` then `PING` is answered batch first,
///   then `PONG` (clients and test suites use PING as a barrier);
/// - a labelled command's response (`LabeledResponse`) stays open until
///   then, and what the answers send joins it: `@label=x CHATHISTORY …`
///   gets the labelled batch, not an `ACK` followed by an unlabelled one.
///
/// Other traffic to the client (channel messages) flows meanwhile and is
/// not part of the response: the label capture is installed only while an
/// answer runs.
///
/// Thread-safety: loop thread only.
enum LaterAnswers {
    /// Wraps `done`, the completion of work started for `client`'s current
    /// command. Call it when the work starts, on the loop thread.
    static func wrap<T>(_ client: Client, on server: IRCServer, _ done: @escaping (T) -> Void) -> (T) -> Void {
        hold(client)
        let capture = client.labelCapture
        return { [clientID = client.id] value in
            // The client gone, `done` still runs: it may have bookkeeping to do.
            guard let client = server.clients[clientID] else { return done(value) }
            let outer = client.labelCapture
            if let capture { client.labelCapture = capture }
            done(value)
            client.labelCapture = outer
            release(client, on: server)
        }
    }

    /// Counts an answer that `client`'s current command will finish later
    /// and in parts (a `PacedReply`), which installs the label capture
    /// itself for each part. Call it on the loop thread, before the
    /// handler returns; `release` when the last part is out.
    static func hold(_ client: Client) {
        client.pendingAnswers += 1
    }

    /// The answer `hold` counted is complete.
    static func release(_ client: Client, on server: IRCServer) {
        client.pendingAnswers -= 1
        if client.pendingAnswers == 0 { arrived(client, on: server) }
    }

    /// The last answer is in: the labelled response goes out, and the input
    /// that waited is read again.
    private static func arrived(_ client: Client, on server: IRCServer) {
        // The time its input waited on us is not the client's silence (the
        // timeout sweep skips a client with answers pending).
        client.lastInputNanos = server.clock.monotonicNanos
        if let open = client.openLabel {
            client.openLabel = nil
            open.finish()
        }
        guard client.state != .quitting, !server.isThrottled(client), !(client.authInFlight && !client.isRegistered) else { return }
        client.transport.resumeReading()
    }
}
