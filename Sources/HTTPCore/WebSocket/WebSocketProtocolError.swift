/// Why a WebSocket connection must fail: the close code to send and a reason
/// (at most 123 bytes, to fit a close frame).
///
/// Thread-safety: a value type; any thread.
public struct WebSocketProtocolError: Error, Equatable, CustomStringConvertible {
    public var code: WebSocketCloseCode
    public var reason: String

    public init(_ code: WebSocketCloseCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "WebSocket \(code.value): \(reason)" }

    static func protocolError(_ reason: String) -> WebSocketProtocolError { WebSocketProtocolError(.protocolError, reason) }
}
