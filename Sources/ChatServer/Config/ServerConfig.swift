/// Everything an operator can set, with the defaults a newcomer runs with.
/// `config.json` overrides these; command-line flags override the file. Every
/// key is documented in the README.
///
/// Thread-safety: a value type; any thread.
public struct ServerConfig: Equatable {
    /// The server's name in every reply's source: a host name with a dot.
    public var serverName = "chatd.local"
    /// Shown in the welcome and as NETWORK in ISUPPORT.
    public var networkName = "ChatNet"
    /// `HOST:PORT` addresses to listen on (`[::1]:6667` for IPv6).
    public var listen = ["127.0.0.1:6667"]
    /// Addresses that speak TLS (`listen` objects with `"tls": true`, `--tls-listen`).
    public var tlsListen: [String] = []
    /// The SQLite database, the console socket and (later) stored files live here.
    public var dataDir = "./data"
    /// Message of the day as text; `motdFile`, when set, is read instead.
    public var motd: String? = "Welcome to chatd. Type /join #lobby to start chatting."
    /// A text file read at start and on reload; any line ending splits lines.
    public var motdFile: String?
    /// The server's one-line description in LINKS (364) and WHOIS (312);
    /// nil: "<networkName> chat server".
    public var serverInfo: String?
    /// ADMIN's location line (257); nil: the network name.
    public var adminLocation: String?
    /// ADMIN's contact line (259); nil: "no contact address set".
    public var adminEmail: String?
    /// A password every client must send with PASS before registering; nil: none.
    public var serverPassword: String?
    /// Credentials for the OPER command.
    public var operators: [OperatorCredential] = []
    /// The admin console's Unix socket; nil: `<dataDir>/console.sock`.
    public var consoleSocket: String?
    /// trace, debug, info, notice, warning, error or critical.
    public var logLevel = "info"
    /// Longest wait at shutdown for queued storage writes (history, topics, bans).
    public var shutdownTimeoutSeconds = 30
    /// Bounds on what clients control.
    public var limits = Limits()
    /// Registration, log-in and their throttles.
    public var accounts = Accounts()
    /// Channel history: replay, writing, retention.
    public var history = History()
    /// Certificate, key, handshake timeout and STS for the TLS listeners.
    public var tls = TLSSettings()
    /// Live football scores (Scores/ScoresConfig.swift).
    public var scores = ScoresConfig()
    /// Text-file sharing (FILE), see `FileSettings`.
    public var files = FileSettings()
    /// The web listener: HTTP, IRC over WebSocket, metrics (Web/HTTPSettings.swift).
    public var http = HTTPSettings()

    public init() {}

    /// Where the console socket is, resolved against the data folder.
    public var consoleSocketPath: String { consoleSocket ?? (dataDir + "/console.sock") }

    /// Account registration and log-in.
    public struct Accounts: Equatable {
        /// Whether REGISTER is open to anyone.
        public var allowRegistration = true
        /// Shortest password REGISTER and the console accept, in bytes of UTF-8.
        public var minPasswordLength = 8
        /// Failed log-ins allowed per address and per account within the window.
        public var loginMaxFailures = 5
        /// The sliding window those failures are counted in, in seconds.
        public var loginFailureWindowSeconds = 300
        /// Accounts that get server-operator rights when they log in.
        public var operatorAccounts: [String] = []
        /// Accounts one address may create per hour, and all addresses together; 0: unlimited.
        public var registrationsPerAddressPerHour = 3
        public var registrationsPerHour = 60
        /// REGISTER needs an email address (advertised as `email-required`).
        public var requireEmail = false
        /// REGISTER may come before connection registration completes (`before-connect`).
        public var registerBeforeConnect = true
        /// Days after which an account nobody ever logged in to (SASL or PASS,
        /// after the REGISTER that made it) is deleted; 0: never.
        public var unusedAccountExpiryDays = 0
        public init() {}
    }

    /// Channel history.
    public struct History: Equatable {
        /// Messages replayed to a client when it joins a channel; 0: none.
        public var replayOnJoin = 20
        /// Longest delay before a message is written to disk...
        public var flushIntervalMillis = 100
        /// ...or the batch size that triggers a write sooner.
        public var flushBatchSize = 1000
        /// The most messages one CHATHISTORY request returns.
        public var maxChathistoryLimit = 100
        /// Messages older than this many days are pruned; 0: kept forever.
        public var maxAgeDays = 0
        /// Only the newest this many messages per channel are kept; 0: all.
        public var maxMessagesPerTarget = 0
        /// Saved topics of channels whose topic was not set for this many days are dropped; 0: kept forever.
        public var topicRetentionDays = 0
        public init() {}
    }

    /// A name and password that OPER accepts, optionally only from some hosts.
    public struct OperatorCredential: Equatable {
        /// The name given to OPER.
        public var name: String
        /// Compared in constant time; kept in the config file, so protect that file.
        public var password: String
        /// Glob over the client's address, e.g. `127.0.0.1` or `*`.
        public var hostMask: String = "*"
        public init(name: String, password: String, hostMask: String = "*") {
            self.name = name
            self.password = password
            self.hostMask = hostMask
        }
    }

    /// Bounds on everything a client controls. 0 lifts a limit where that makes
    /// sense (flood control, connection counts), so a benchmark can run free.
    public struct Limits: Equatable {
        /// Longest line without tags, in bytes, CR LF included (RFC: 512).
        public var maxLineLength = 512
        /// Extra room for the tags part when message-tags is negotiated, in bytes
        /// (a client may send at most 4094 bytes of tag data whatever this says).
        public var maxTagsLength = 4096
        /// Bytes queued to one client before it is dropped ("SendQ exceeded"); 0: unlimited.
        public var sendQueueBytes = 1_048_576
        /// Flood control: lines a client may send in a burst (each line, empty
        /// or overlong ones too, costs one)...
        public var floodBurst = 20
        /// ...and the sustained rate it refills at. 0 turns flood control off.
        public var floodLinesPerSecond = 4
        /// Unprocessed input held for a throttled client before "Excess Flood", in bytes.
        public var floodBacklogBytes = 16_384
        /// Open client connections, in total and from one IP address; 0: unlimited.
        public var maxConnections = 4096
        /// ...and from one address.
        public var maxConnectionsPerIP = 16
        /// Channels one client may be in at once.
        public var maxChannelsPerUser = 50
        /// Longest nick, in bytes (nicks are ASCII).
        public var nickLength = 30
        /// Longest user name, in bytes, the '~' included.
        public var userLength = 16
        /// Longest real name, in bytes of UTF-8 (longer ones are cut at a character boundary).
        public var realNameLength = 100
        /// Longest channel name, in bytes, the '#' included.
        public var channelLength = 50
        /// Longest topic, kick/part reason and away message, in bytes of UTF-8
        /// (longer ones are cut at a character boundary).
        public var topicLength = 390
        public var kickReasonLength = 255
        public var awayLength = 255
        /// Targets one PRIVMSG/NOTICE/JOIN… may name.
        public var maxTargets = 4
        /// Entries in one channel's ban list (+b).
        public var maxBans = 100
        /// Seconds to finish NICK/USER/CAP END after connecting.
        public var registrationTimeoutSeconds = 60
        /// Seconds of silence before the server sends PING...
        public var pingIntervalSeconds = 120
        /// ...and seconds after that before "Ping timeout".
        public var pingTimeoutSeconds = 60
        /// Departed nicks remembered for WHOWAS.
        public var whowasEntries = 200
        /// draft/multiline: the most bytes of text in one multiline batch (the
        /// lines' text plus one per line break joining them)...
        public var multilineMaxBytes = 4096
        /// ...and the most PRIVMSG lines in it.
        public var multilineMaxLines = 100
        public init() {}
    }
}

extension ServerConfig {
    /// `serverInfo`, or the default built from the network name.
    var serverDescription: String { serverInfo ?? "\(networkName) chat server" }
}
