/// A stored multiline message sent back from history: inside a
/// `chathistory` batch as a nested `draft/multiline` batch to clients with
/// the capability, as separate lines (msgid on the first) to others;
/// outside a batch, as separate lines with their time tag to a server-time
/// client and as plain lines with the time in front to others.
///
/// Thread-safety: stateless; loop thread only (called by `HistoryReads.send`).
enum MultilineHistory {
    static func encode(_ m: StoredMessage, caps: CapabilitySet, outerBatch: String?, newBatchID: () -> String,
                       into out: inout [UInt8]) {
        let lines = MultilineText.lines(of: m.text)
        guard outerBatch != nil || caps.contains(.serverTime) else {
            let stamp = ServerTime.format(millis: m.timeMillis).prefix(19).replacingOccurrences(of: "T", with: " ")
            for line in lines where !line.text.isEmpty {
                IRCMessage(source: m.source, command: m.command, params: [m.target, CTCPText.stamped(line.text, stamp: stamp)]).encode(into: &out)
            }
            return
        }
        var head = outerBatch.map { [IRCTag("batch", $0)] } ?? []
        head.append(IRCTag("time", ServerTime.format(millis: m.timeMillis)))
        if caps.contains(.messageTags) { head.append(IRCTag("msgid", m.msgid)) }
        if let account = m.account, caps.contains(.accountTag) { head.append(IRCTag("account", account)) }
        if let outerBatch, MultilineFanout.isBatched(caps) {
            let inner = newBatchID()
            IRCMessage(tags: head, source: m.source, command: "BATCH", params: ["+" + inner, "draft/multiline", m.target]).encode(into: &out)
            for line in lines {
                var tags = [IRCTag("batch", inner)]
                if line.concat { tags.append(IRCTag("draft/multiline-concat", nil)) }
                IRCMessage(tags: tags, source: m.source, command: m.command, params: [m.target, line.text]).encode(into: &out)
            }
            IRCMessage(tags: [IRCTag("batch", outerBatch)], source: m.source, command: "BATCH", params: ["-" + inner]).encode(into: &out)
        } else {
            var first = true
            for line in lines where !line.text.isEmpty {
                let tags = first ? head : head.filter { $0.key != "msgid" }
                IRCMessage(tags: tags, source: m.source, command: m.command, params: [m.target, line.text]).encode(into: &out)
                first = false
            }
        }
    }
}
