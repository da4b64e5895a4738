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
/// Answers that a worker sends later for the command (a history read, a
/// log-in check) are part of the response: it is sent when the last is in
/// (`LaterAnswers.wrap`). A label is honoured only for clients with both
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
        honoured(message.tag("label"), for: client)
    }

    /// The label in the tags of a raw `line` that did not parse as a
    /// message (a command word like `NO_SUCH`): its error is still the
    /// command's answer. Malformed tags: no label.
    static func label(inLine line: UnsafeRawBufferPointer, from client: Client) -> String? {
        guard line.first == UInt8(ascii: "@") else { return nil }
        let end = line.firstIndex(of: 0x20) ?? line.count
        guard let tags = try? IRCTag.parseList(UnsafeRawBufferPointer(rebasing: line[1..<end])) else { return nil }
        return honoured(tags.first { $0.key == "label" }?.value, for: client)
    }

    private static func honoured(_ label: String?, for client: Client) -> String? {
        guard client.caps.isSuperset(of: [.labeledResponse, .batch]), client.labelCapture == nil,
              let label, !label.isEmpty, label.utf8.count <= maxLabelBytes else { return nil }
        return label
    }

    /// Runs `message` (without its label) with the client's output captured,
    /// then sends the response labelled.
    static func dispatch(_ message: IRCMessage, from client: Client, label: String, on server: IRCServer) {
        var inner = message
        inner.tags.removeAll { $0.key == "label" }
        respond(to: client, label: label, on: server) { server.dispatch(inner, from: client) }
    }

    /// Runs `body` with the client's output captured, then sends what it
    /// sent as the labelled response.
    static func respond(to client: Client, label: String, on server: IRCServer, _ body: () -> Void) {
        let capture = LabelCapture(client.connection, label: label, serverName: server.serverName,
                                   batchID: { [unowned server] in server.msgids.next() })
        client.labelCapture = capture
        body()
        client.labelCapture = nil
        // Work handed to a worker answers later (`LaterAnswers.wrap`):
        // the response is complete when the last answer is in.
        if client.pendingAnswers > 0 { client.openLabel = capture } else { capture.finish() }
    }
}
