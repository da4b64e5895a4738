import CoreLoop

/// One message on its way to many clients, serialized at most once per wire
/// form. Clients differ only in whether they get tags (message-tags), a
/// timestamp (server-time) and the sender's account (account-tag), so there
/// are at most eight forms, and every recipient of a form is handed the same
/// `ByteChunk`: no per-recipient copy.
///
/// Thread-safety: loop thread only.
struct Fanout {
    /// `:source COMMAND params\r\n`, shared by every form.
    private let body: [UInt8]
    /// Tags only message-tags clients get (msgid, client-only tags).
    private let tags: [IRCTag]
    private let time: String
    private let account: String?
    /// The untagged form, which most recipients get, kept apart so that a
    /// message nobody needs a tagged form of allocates no `forms` array
    /// (a JOIN, PRIVMSG and QUIT each build one or more `Fanout`s per churn cycle).
    private var plain: ByteChunk?
    /// Forms 1–7, allocated when the first of them is needed.
    private var forms: [ByteChunk?] = []

    init(_ message: IRCMessage, tags: [IRCTag] = [], time: String, account: String? = nil) {
        var stripped = message
        stripped.tags = []
        body = stripped.encoded()
        self.tags = tags
        self.time = time
        self.account = account
    }

    mutating func chunk(for caps: CapabilitySet) -> ByteChunk { chunk(form: form(for: caps)) }

    /// Which of the eight wire forms a client with `caps` gets: the
    /// delivery loop compares this small number from member to member and
    /// fetches a chunk only when it changes.
    @inline(__always)
    func form(for caps: CapabilitySet) -> Int {
        let wantsTags = caps.contains(.messageTags) && !tags.isEmpty
        let wantsTime = caps.contains(.serverTime)
        let wantsAccount = account != nil && caps.contains(.accountTag)
        return (wantsTags ? 1 : 0) | (wantsTime ? 2 : 0) | (wantsAccount ? 4 : 0)
    }

    mutating func chunk(form index: Int) -> ByteChunk {
        if index == 0, let plain { return plain }
        if index != 0, !forms.isEmpty, let chunk = forms[index] { return chunk }
        let wantsTags = index & 1 != 0, wantsTime = index & 2 != 0, wantsAccount = index & 4 != 0
        var all: [IRCTag] = []
        if wantsAccount, let account { all.append(IRCTag("account", account)) }
        if wantsTime { all.append(IRCTag("time", time)) }
        if wantsTags { all += tags }
        let chunk: ByteChunk
        if all.isEmpty {
            chunk = ByteChunk(body)
        } else {
            var bytes: [UInt8] = [UInt8(ascii: "@")]
            bytes.reserveCapacity(body.count + 64)
            IRCTag.encodeList(all, into: &bytes)
            bytes.append(0x20)
            bytes += body
            chunk = ByteChunk(bytes)
        }
        if index == 0 {
            plain = chunk
        } else {
            if forms.isEmpty { forms = [ByteChunk?](repeating: nil, count: 8) }
            forms[index] = chunk
        }
        return chunk
    }
}
