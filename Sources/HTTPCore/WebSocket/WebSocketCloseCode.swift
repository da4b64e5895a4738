/// Close status codes (RFC 6455 §7.4.1) this server sends.
///
/// Thread-safety: a value type; any thread.
public struct WebSocketCloseCode: Equatable, Hashable, Sendable {
    public var value: UInt16
    public init(_ value: UInt16) { self.value = value }

    public static let normal = WebSocketCloseCode(1000)
    public static let goingAway = WebSocketCloseCode(1001)
    public static let protocolError = WebSocketCloseCode(1002)
    public static let unsupportedData = WebSocketCloseCode(1003)
    public static let invalidPayload = WebSocketCloseCode(1007)
    public static let policyViolation = WebSocketCloseCode(1008)
    public static let messageTooBig = WebSocketCloseCode(1009)
    public static let internalError = WebSocketCloseCode(1011)

    /// Codes a peer may put in a close frame: 1000–1003, 1007–1011 (1012–1014
    /// are registered since), and 3000–4999; 1004–1006 and 1015 must never be sent.
    public static func isValidOnWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }
}
