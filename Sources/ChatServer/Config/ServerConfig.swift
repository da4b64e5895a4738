/// Everything an operator can set, with the defaults a newcomer runs with.
/// `config.json` overrides these; command-line flags override the file. Every
/// key is documented in the README.
///
/// Thread-safety: a value type; any thread.
public struct ServerConfig: Equatable {
    public var serverName = "chatd.local"
    public var networkName = "ChatNet"
    /// `HOST:PORT` addresses to listen on (`[::1]:6667` for IPv6).
    public var listen = ["127.0.0.1:6667"]
    public var dataDir = "./data"
    /// Message of the day as text; `motdFile`, when set, is read instead.
    public var motd: String? = "Welcome to chatd. Type /join #lobby to start chatting."
    public var motdFile: String?
    /// A password every client must send with PASS before registering; nil: none.
    public var serverPassword: String?
    /// Credentials for the OPER command.
    public var operators: [OperatorCredential] = []
    /// The admin console's Unix socket; nil: `<dataDir>/console.sock`.
    public var consoleSocket: String?
    /// trace, debug, info, notice, warning, error or critical.
    public var logLevel = "info"
    public var limits = Limits()
    public var accounts = Accounts()
    public var history = History()
    /// Text-file sharing (FILE), see `FileSettings`.
    public var files = FileSettings()

    public init() {}

    /// Where the console socket is, resolved against the data folder.
    public var consoleSocketPath: String { consoleSocket ?? (dataDir + "/console.sock") }

    /// Account registration and log-in.
    public struct Accounts: Equatable {
        /// Whether REGISTER is open to anyone.
        public var allowRegistration = true
        public var minPasswordLength = 8
        /// Failed log-ins allowed per address and per account within the window.
        public var loginMaxFailures = 5
        public var loginFailureWindowSeconds = 300
        /// Accounts that get server-operator rights when they log in.
        public var operatorAccounts: [String] = []
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
        public init() {}
    }

    /// A name and password that OPER accepts, optionally only from some hosts.
    public struct OperatorCredential: Equatable {
        public var name: String
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
        /// Extra room for the tags part when message-tags is negotiated.
        public var maxTagsLength = 4096
        /// Bytes queued to one client before it is dropped ("SendQ exceeded"); 0: unlimited.
        public var sendQueueBytes = 1_048_576
        /// Flood control: lines a client may send in a burst...
        public var floodBurst = 20
        /// ...and the sustained rate it refills at. 0 turns flood control off.
        public var floodLinesPerSecond = 4
        /// Unprocessed input held for a throttled client before "Excess Flood".
        public var floodBacklogBytes = 16_384
        /// Open client connections, in total and from one IP address; 0: unlimited.
        public var maxConnections = 4096
        public var maxConnectionsPerIP = 16
        public var maxChannelsPerUser = 50
        public var nickLength = 30
        public var userLength = 16
        public var realNameLength = 100
        public var channelLength = 50
        public var topicLength = 390
        public var kickReasonLength = 255
        public var awayLength = 255
        /// Targets one PRIVMSG/NOTICE/JOIN… may name.
        public var maxTargets = 4
        /// Entries in one channel's ban list.
        public var maxBans = 100
        /// Seconds to finish NICK/USER/CAP END after connecting.
        public var registrationTimeoutSeconds = 60
        /// Seconds of silence before the server sends PING...
        public var pingIntervalSeconds = 120
        /// ...and seconds after that before "Ping timeout".
        public var pingTimeoutSeconds = 60
        /// Departed nicks remembered for WHOWAS.
        public var whowasEntries = 200
        public init() {}
    }
}
