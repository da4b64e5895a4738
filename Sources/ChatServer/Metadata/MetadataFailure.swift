/// A draft/metadata-2 standard reply: `FAIL METADATA <code> <params…> :<text>`.
///
/// Thread-safety: a value type; any thread.
struct MetadataFailure: Error, Equatable {
    let code: String
    let params: [String]
    let text: String

    static func keyInvalid(_ key: String) -> MetadataFailure { .init(code: "KEY_INVALID", params: [key], text: "Invalid key") }
    static func keyNoPermission(_ target: String, _ key: String) -> MetadataFailure {
        .init(code: "KEY_NO_PERMISSION", params: [target, key], text: "You do not have permission to set '\(key)' on '\(target)'")
    }
    static func keyNotSet(_ target: String, _ key: String) -> MetadataFailure {
        .init(code: "KEY_NOT_SET", params: [target, key], text: "Key not set")
    }
    static func limitReached(_ target: String) -> MetadataFailure {
        .init(code: "LIMIT_REACHED", params: [target], text: "Metadata limit reached (\(MetadataLimits.maxKeys) keys)")
    }
    static func rateLimited(_ target: String, _ key: String, retryAfter: Int) -> MetadataFailure {
        .init(code: "RATE_LIMITED", params: [target, key, String(retryAfter)], text: "Too many changes; try again in \(retryAfter) seconds")
    }
    static func targetInvalid(_ target: String) -> MetadataFailure {
        .init(code: "TARGET_INVALID", params: [target], text: "Invalid metadata target")
    }
    static func subcommandInvalid(_ word: String) -> MetadataFailure {
        .init(code: "SUBCOMMAND_INVALID", params: [word], text: "Invalid subcommand")
    }
    static func tooManySubs(_ key: String) -> MetadataFailure {
        .init(code: "TOO_MANY_SUBS", params: [key], text: "Too many subscriptions (\(MetadataLimits.maxSubs))")
    }
    static let valueInvalid = MetadataFailure(code: "VALUE_INVALID", params: [],
                                              text: "Values are at most \(MetadataLimits.maxValueBytes) bytes of UTF-8")
    static let internalError = MetadataFailure(code: "INTERNAL_ERROR", params: [], text: "The change could not be saved; try again later")

    func message(from server: String) -> IRCMessage {
        IRCMessage(source: server, command: "FAIL", params: ["METADATA", code] + params + [text])
    }
}
