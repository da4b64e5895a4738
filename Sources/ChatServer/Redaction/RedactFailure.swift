/// Why a REDACT was refused: the standard replies draft/message-redaction
/// defines, sent as `FAIL REDACT <code> <params…> :<text>`.
///
/// Thread-safety: a value type; any thread.
struct RedactFailure: Error, Equatable {
    enum Code: String {
        case invalidTarget = "INVALID_TARGET"
        case forbidden = "REDACT_FORBIDDEN"
        case unknownMsgid = "UNKNOWN_MSGID"
    }

    let code: Code
    let params: [String]
    let text: String

    static func invalidTarget(_ target: String, _ why: String = "You cannot delete messages from this target") -> RedactFailure {
        RedactFailure(code: .invalidTarget, params: [target], text: why)
    }
    static func forbidden(_ target: String, _ msgid: String) -> RedactFailure {
        RedactFailure(code: .forbidden, params: [target, msgid], text: "You are not authorised to delete this message")
    }
    static func unknownMsgid(_ target: String, _ msgid: String) -> RedactFailure {
        RedactFailure(code: .unknownMsgid, params: [target, msgid], text: "This message does not exist or is too old")
    }

    func message(from server: String) -> IRCMessage {
        IRCMessage(source: server, command: "FAIL", params: ["REDACT", code.rawValue] + params + [text])
    }
}
