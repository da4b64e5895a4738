/// One row of the command table: how the dispatcher validates a command
/// before its handler runs (after ngIRCd's parse.c).
///
/// Thread-safety: immutable; any thread.
public struct CommandSpec {
    /// When a command may be used.
    public enum Availability {
        /// Only before registration completes (USER, PASS): 462 afterwards.
        case registrationOnly
        /// Before and after registration (NICK, CAP, PING, QUIT…).
        case always
        /// Only once registered: 451 before.
        case registered
    }

    public typealias Handler = (IRCServer, Client, IRCMessage) throws -> Void

    public let name: String
    public let availability: Availability
    /// Fewer parameters get 461 from the dispatcher.
    public let minParams: Int
    /// Whether the command counts against flood control (PONG, QUIT do not).
    public let costsFlood: Bool
    public let handler: Handler
    /// The row's position in its `CommandTable` (for per-command counters); set by the table.
    public internal(set) var slot = 0

    /// A command for registered clients only.
    public init(_ name: String, minParams: Int = 0, costsFlood: Bool = true, _ handler: @escaping Handler) {
        self.init(name, .registered, minParams: minParams, costsFlood: costsFlood, handler)
    }

    public init(_ name: String, _ availability: Availability, minParams: Int = 0,
                costsFlood: Bool = true, _ handler: @escaping Handler) {
        self.name = name
        self.availability = availability
        self.minParams = minParams
        self.costsFlood = costsFlood
        self.handler = handler
    }
}
