import CoreLoop

/// One multiline message on its way to many clients, encoded at most once
/// per wire form, as `Fanout` does for single lines. Clients with
/// `draft/multiline` (and `batch`) get a `draft/multiline` batch whose
/// opening line carries the message's tags; others get the lines as plain
/// PRIVMSGs, blank ones left out, msgid on the first only (time, account,
/// client-only and bot tags on each).
///
/// Thread-safety: loop thread only.
struct MultilineFanout {
    private let source: String
    private let target: String
    private let lines: [MultilineLine]
    /// For message-tags clients: msgid, client-only tags, bot.
    private let tags: [IRCTag]
    private let time: String
    private let account: String?
    private let batchID: String
    private var forms: [ByteChunk?] = Array(repeating: nil, count: 16)

    init(source: String, target: String, lines: [MultilineLine], tags: [IRCTag], time: String, account: String?, batchID: String) {
        self.source = source
        self.target = target
        self.lines = lines
        self.tags = tags
        self.time = time
        self.account = account
        self.batchID = batchID
    }

    static func isBatched(_ caps: CapabilitySet) -> Bool { caps.isSuperset(of: [.multiline, .batch]) }

    mutating func chunk(for caps: CapabilitySet) -> ByteChunk {
        let index = (caps.contains(.messageTags) ? 1 : 0) | (caps.contains(.serverTime) ? 2 : 0)
            | (account != nil && caps.contains(.accountTag) ? 4 : 0) | (Self.isBatched(caps) ? 8 : 0)
        if let chunk = forms[index] { return chunk }
        let chunk = ByteChunk(encode(for: caps, label: nil))
        forms[index] = chunk
        return chunk
    }

    /// The form for `caps`; with `label` (labeled-response with echo-message)
    /// on the opening BATCH, or on the first line of the plain form; with
    /// `batchID`, a batch of that id instead of the shared one (an echo sent
    /// to a client that got the delivery too).
    func encode(for caps: CapabilitySet, label: String?, batchID: String? = nil) -> [UInt8] {
        let batchID = batchID ?? self.batchID
        let accountTag = account.flatMap { caps.contains(.accountTag) ? IRCTag("account", $0) : nil }
        let timeTag = caps.contains(.serverTime) ? IRCTag("time", time) : nil
        var head: [IRCTag] = label.map { [IRCTag("label", $0)] } ?? []
        head += [accountTag, timeTag].compactMap { $0 }
        if caps.contains(.messageTags) { head += tags }
        var out: [UInt8] = []
        out.reserveCapacity(lines.reduce(64) { $0 + $1.text.utf8.count + source.utf8.count + target.utf8.count + 32 })
        if Self.isBatched(caps) {
            IRCMessage(tags: head, source: source, command: "BATCH", params: ["+" + batchID, "draft/multiline", target]).encode(into: &out)
            for line in lines {
                var lineTags = [IRCTag("batch", batchID)]
                if line.concat { lineTags.append(IRCTag("draft/multiline-concat", nil)) }
                IRCMessage(tags: lineTags, source: source, command: "PRIVMSG", params: [target, line.text]).encode(into: &out)
            }
            IRCMessage(source: source, command: "BATCH", params: ["-" + batchID]).encode(into: &out)
        } else {
            // Every line keeps the message's client-only and bot tags (they
            // describe each line a plain client sees); the msgid names the
            // whole message, so only the first line carries it.
            var rest = [accountTag, timeTag].compactMap { $0 }
            if caps.contains(.messageTags) { rest += tags.filter { $0.key != "msgid" } }
            var first = true
            for line in lines where !line.text.isEmpty {
                IRCMessage(tags: first ? head : rest, source: source, command: "PRIVMSG", params: [target, line.text]).encode(into: &out)
                first = false
            }
        }
        return out
    }
}
