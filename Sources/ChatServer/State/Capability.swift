/// The IRCv3 capabilities this server offers.
///
/// Thread-safety: a value type; any thread.
public struct CapabilitySet: OptionSet, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let messageTags = CapabilitySet(rawValue: 1 << 0)
    public static let serverTime = CapabilitySet(rawValue: 1 << 1)
    public static let echoMessage = CapabilitySet(rawValue: 1 << 2)
    public static let multiPrefix = CapabilitySet(rawValue: 1 << 3)
    public static let batch = CapabilitySet(rawValue: 1 << 4)
    public static let capNotify = CapabilitySet(rawValue: 1 << 5)
    public static let userhostInNames = CapabilitySet(rawValue: 1 << 6)
    public static let awayNotify = CapabilitySet(rawValue: 1 << 7)
    public static let sasl = CapabilitySet(rawValue: 1 << 8)
    public static let accountRegistration = CapabilitySet(rawValue: 1 << 9)
    public static let accountTag = CapabilitySet(rawValue: 1 << 10)
    public static let accountNotify = CapabilitySet(rawValue: 1 << 11)
    public static let extendedJoin = CapabilitySet(rawValue: 1 << 12)
    public static let chathistory = CapabilitySet(rawValue: 1 << 13)
    public static let extendedMonitor = CapabilitySet(rawValue: 1 << 14)
    public static let setname = CapabilitySet(rawValue: 1 << 15)
    public static let labeledResponse = CapabilitySet(rawValue: 1 << 16)
    public static let inviteNotify = CapabilitySet(rawValue: 1 << 17)
    /// draft/metadata-2 (Metadata/). A high bit, clear of bits other branches may be adding.
    public static let metadata = CapabilitySet(rawValue: 1 << 24)
    // High bits, so features added on other branches meanwhile cannot pick the same value.
    public static let multiline = CapabilitySet(rawValue: 1 << 25)
    public static let readMarker = CapabilitySet(rawValue: 1 << 26)
    /// draft/message-redaction (Redaction/).
    public static let messageRedaction = CapabilitySet(rawValue: 1 << 27)
    /// draft/event-playback: TOPIC and kept TAGMSGs in history (History/EventPlayback.swift).
    public static let eventPlayback = CapabilitySet(rawValue: 1 << 28)
    /// draft/no-implicit-names: JOIN is not followed by NAMES (the client asks when it wants them).
    public static let noImplicitNames = CapabilitySet(rawValue: 1 << 29)
    /// draft/pre-away: AWAY is accepted before registration completes (`AWAY *`: away, no reason).
    public static let preAway = CapabilitySet(rawValue: 1 << 30)

    /// Capabilities that need the database; not offered without it.
    static let needStorage: CapabilitySet = [.sasl, .accountRegistration, .chathistory, .readMarker, .messageRedaction, .eventPlayback]

    /// Name on the wire, in the order CAP LS lists them.
    public static let all: [(name: String, cap: CapabilitySet)] = [
        ("account-notify", .accountNotify),
        ("account-tag", .accountTag),
        ("away-notify", .awayNotify),
        ("batch", .batch),
        ("cap-notify", .capNotify),
        ("draft/account-registration", .accountRegistration),
        ("draft/chathistory", .chathistory),
        ("draft/event-playback", .eventPlayback),
        // The draft's name of extended-monitor, for clients (and suites)
        // written before it was ratified: the same capability.
        ("draft/extended-monitor", .extendedMonitor),
        ("draft/message-redaction", .messageRedaction),
        ("draft/metadata-2", .metadata),
        ("draft/multiline", .multiline),
        ("draft/no-implicit-names", .noImplicitNames),
        ("draft/pre-away", .preAway),
        ("draft/read-marker", .readMarker),
        ("echo-message", .echoMessage),
        ("extended-join", .extendedJoin),
        ("extended-monitor", .extendedMonitor),
        ("invite-notify", .inviteNotify),
        ("labeled-response", .labeledResponse),
        ("message-tags", .messageTags),
        ("multi-prefix", .multiPrefix),
        ("sasl", .sasl),
        ("server-time", .serverTime),
        ("setname", .setname),
        ("userhost-in-names", .userhostInNames),
    ]

    public static func named(_ name: String) -> CapabilitySet? {
        all.first { $0.name == name.lowercased() }?.cap
    }

    /// Values shown by `CAP LS 302`; some depend on the configuration.
    static func value(of cap: CapabilitySet, config: ServerConfig) -> String? {
        let accounts = config.accounts
        switch cap {
        case .multiline:
            return "max-bytes=\(config.limits.multilineMaxBytes),max-lines=\(config.limits.multilineMaxLines)"
        case .sasl: return AccountCommands.saslMechanisms
        case .accountRegistration:
            var keys: [String] = []
            if accounts.registerBeforeConnect { keys.append("before-connect") }
            keys.append("custom-account-name")
            if accounts.requireEmail { keys.append("email-required") }
            keys.append("min-password-length=\(accounts.minPasswordLength)")
            return keys.joined(separator: ",")
        case .metadata: return MetadataLimits.capabilityValue
        default: return nil
        }
    }
}
