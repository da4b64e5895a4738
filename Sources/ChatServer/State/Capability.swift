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

    /// Name on the wire, in the order CAP LS lists them.
    public static let all: [(name: String, cap: CapabilitySet)] = [
        ("away-notify", .awayNotify),
        ("batch", .batch),
        ("cap-notify", .capNotify),
        ("echo-message", .echoMessage),
        ("message-tags", .messageTags),
        ("multi-prefix", .multiPrefix),
        ("server-time", .serverTime),
        ("userhost-in-names", .userhostInNames),
    ]

    public static func named(_ name: String) -> CapabilitySet? {
        all.first { $0.name == name.lowercased() }?.cap
    }

    /// The capabilities that change how a message is serialized for a client;
    /// a broadcast encodes once per distinct combination of these.
    static let wireForm: CapabilitySet = [.messageTags, .serverTime]
}
