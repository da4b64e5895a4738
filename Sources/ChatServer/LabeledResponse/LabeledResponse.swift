import CoreLoop

/// labeled-response (IRCv3): a command sent with a `label` tag is answered
/// with that label. Done once, around the dispatcher, so every command gets
/// it: while the handler runs, what is sent to *that* client is collected
/// (`LabelCapture` stands in for its transport) and then sent as
///
/// - nothing sent: `@label=L :server ACK`;
/// - one line: that line with `label=L` added to its tags;
/// - more: a `labeled-response` batch opened with the label.
///
/// Lines that come after the handler returns (a log-in or history read
/// finishing on a worker) are not part of the response and go out
/// unlabelled. A label is honoured only for clients with both
/// `labeled-response` and `batch`, and only up to 64 bytes.
///
/// Thread-safety: loop thread only (called from `IRCServer.dispatch`).
enum LabeledResponse {
    /// Longest label honoured, in bytes.
    static let maxLabelBytes = 64

    /// The label `message` asks to be answered with, if `client` may use one.
    static func label(of message: IRCMessage, from client: Client) -> String? {
        // A BATCH opens a multiline message whose response (the echo, or ACK)
        // comes at its end: `MultilineBatches` keeps the label until then.
        guard message.command != "BATCH" else { return nil }
        return label(in: message, from: client)
    }

    /// The label on `message`, if `client` may use one (any command).
    static func label(in message: IRCMessage, from client: Client) -> String? {
        guard client.caps.isSuperset(of: [.labeledResponse, .batch]), client.labelCapture == nil,
              let label = message.tag("label"), !label.isEmpty, label.utf8.count <= maxLabelBytes else { return nil }
        return label
    }

    /// Runs `message` (without its label) with the client's output captured,
    /// then sends the response labelled.
    static func dispatch(_ message: IRCMessage, from client: Client, label: String, on server: IRCServer) {
        var inner = message
        inner.tags.removeAll { $0.key == "label" }
        let capture = LabelCapture(client.connection, label: label, serverName: server.serverName,
                                   batchID: { [unowned server] in server.msgids.next() })
        client.labelCapture = capture
        server.dispatch(inner, from: client)
        client.labelCapture = nil
        capture.finish()
    }
}
