/// The `scores` section of config.json: the simulator, the limits on
/// followers and UDP subscribers, and the UDP stream's address.
///
/// Thread-safety: a value type; any thread.
public struct ScoresConfig: Equatable {
    /// Whether the live-score demo plays invented matches (config.json turns it on).
    public var simulator = false
    /// How many simulated matches play at the same time.
    public var simulatorMatches = 3
    /// Time between two simulated events (`--score-interval` sets it in seconds).
    public var intervalMillis = 3000
    /// The simulator's random seed; 0: a fresh one each start (`--score-seed`).
    public var seed = 0
    /// The most matches kept; there, creating one retires the oldest
    /// finished match (with its events), and fails only if none is finished.
    public var maxMatches = 1000
    /// The most events one match may have.
    public var maxEventsPerMatch = 1000
    /// SCORES FOLLOW: matches one connection may follow, and follows in total.
    public var maxFollowsPerConnection = 20
    public var maxFollowers = 100_000
    /// The UDP stream's `HOST:PORT`; nil: no UDP stream (config.json sets 127.0.0.1:6680).
    public var udpListen: String?
    /// UDP tokens one connection may hold, and in total.
    public var udpPerConnection = 4
    public var udpMaxSubscribers = 10_000
    /// A token not presented again for this long lapses.
    public var udpLeaseSeconds = 30
    /// Lines one `match ingest` may carry.
    public var ingestMaxLines = 1000
    /// A finished match's room is closed this long after full time (its
    /// ScoreBot leaves; the channel goes with its last user); 0: rooms stay.
    public var finishedRoomSeconds = 600

    public init() {}
}
