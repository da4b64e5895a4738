import CoreLoop

/// One connected user, registered or not.
///
/// Thread-safety: loop thread only.
public final class Client {
    public enum State { case registering, registered, quitting }

    public let id: UInt64
    /// Where this client's output goes: its connection, or while a labeled
    /// command runs, the capture that collects its response (`LabelCapture`).
    public var transport: ClientTransport {
        if let capture = labelCapture { return capture }
        return connection
    }
    /// The connection's own transport. A `let`, as is the transport's
    /// connection: `directConnection` is unretained on that account.
    let connection: ClientTransport
    /// The TCP (or TLS) connection under `connection`, when it is one, not
    /// retained: `connection` holds it for this client's whole life. The
    /// channel broadcast writes to it directly, without the existential
    /// copy of `connection` (a retain and a release per member) and the
    /// witness call (`Fanout.deliver`).
    let directConnection: Unmanaged<StreamConnection>?
    // Unchecked (both): read for every member of every channel message
    // (`IRCServer.deliver`); a dynamic exclusivity check there cost more
    // than the rest of the per-member work. Sound because only the loop
    // thread touches them and no access to either ever spans a call that
    // could reach the other (plain loads and stores).
    @exclusivity(unchecked) var labelCapture: LabelCapture?
    /// The numeric address; there is no DNS, so this is also the displayed host.
    public let host: String
    var state: State = .registering
    /// Set only through `setNick`, so the folded form never disagrees with it.
    private(set) var nick = "*"
    /// `nick` under the server's case mapping: the key in `ClientRegistry`.
    private(set) var foldedNick = "*"
    var user: String? { didSet { refreshMask() } }
    var realName = ""
    @exclusivity(unchecked) var caps: CapabilitySet = []
    /// True between CAP LS/REQ and CAP END: registration waits for it.
    var capNegotiating = false
    /// Asked `CAP LS 302` (or later): cap-notify is on and may not be turned off.
    var saidCapLS302 = false
    var passwordGiven: String?
    var isInvisible = false
    var isOperator = false
    /// +o came with the account (an operator account), not from OPER: it
    /// goes when the client logs in to another account or the account is deleted.
    var operatorByAccount = false
    var away: String?
    /// User mode +w: receives WALLOPS.
    var receivesWallops = false
    /// User mode +B: marked as a bot (IRCv3 bot mode).
    var isBot = false
    /// Channels joined, by folded name.
    var channels: [String: Channel] = [:]
    /// The account this client is logged in to.
    var account: String?
    /// Base64 received so far in a SASL exchange; nil when none is running.
    var saslBuffer: String?
    /// The SASL exchange under way is EXTERNAL (a client certificate), not PLAIN.
    var saslExternal = false
    /// The SCRAM-SHA-256 exchange under way, if that is the mechanism (Accounts/SCRAM/).
    var saslScram: ScramExchange?
    /// A log-in or registration is being checked on a worker.
    var authInFlight = false
    /// Answers still to come for this client's last command, from workers
    /// (`LaterAnswers.wrap`) or paced as its socket drains (`PacedReplies`):
    /// its later lines wait until they are in.
    var pendingAnswers = 0
    /// The labelled response of that command, sent once they are in.
    var openLabel: LabelCapture?

    let connectedAtMillis: Int64
    let connectedAtNanos: UInt64
    /// Last time anything arrived, or a paced answer moved on (for PING), and
    /// the last message sent (for WHOIS idle).
    var lastInputNanos: UInt64
    var lastMessageNanos: UInt64
    var pingOutstanding = false

    var framer: LineFramer
    var flood: TokenBucket

    init(id: UInt64, transport: ClientTransport, host: String, now: UInt64, wallMillis: Int64, limits: ServerConfig.Limits) {
        self.id = id
        connection = transport
        directConnection = (transport as? SocketClientTransport).map { .passUnretained($0.connection) }
        self.host = host
        connectedAtNanos = now
        connectedAtMillis = wallMillis
        lastInputNanos = now
        lastMessageNanos = now
        framer = LineFramer(maxLineBytes: limits.maxLineLength - 2)
        flood = TokenBucket(capacity: limits.floodBurst, perSecond: limits.floodLinesPerSecond, now: now)
    }

    public var isRegistered: Bool { state == .registered }

    /// `nick!user@host`, the source of this client's messages. Kept, not
    /// computed each time: every relayed message needs it. Built on first
    /// use after the nick or user name changes, not at each change:
    /// registration changes it three times (connect, NICK, USER) before
    /// anything reads it.
    public var mask: String {
        if let cachedMask { return cachedMask }
        let user = self.user ?? "*"
        // Written in one pass into a String of the exact size (four appends
        // were ~1,600 instructions per registration).
        let m = String(unsafeUninitializedCapacity: nick.utf8.count + user.utf8.count + host.utf8.count + 2) { out in
            var count = 0
            func put(_ text: String) { for byte in text.utf8 { out[count] = byte; count += 1 } }
            put(nick); out[count] = UInt8(ascii: "!"); count += 1
            put(user); out[count] = UInt8(ascii: "@"); count += 1
            put(host)
            return count
        }
        cachedMask = m
        return m
    }
    private var cachedMask: String?

    private func refreshMask() { cachedMask = nil }

    /// Renames the client. Only `ClientRegistry` calls it, which keeps its
    /// nick index in step; "*" means no nick.
    func setNick(_ nick: String) {
        self.nick = nick
        foldedNick = nick == "*" ? "*" : CaseMapping.fold(nick)
        refreshMask()
    }

    /// User modes as shown by MODE: "+io" etc.
    var modeString: String {
        var s = "+"
        if isInvisible { s += "i" }
        if isOperator { s += "o" }
        if receivesWallops { s += "w" }
        if isBot { s += "B" }
        return s
    }
}
