import ChatServer

/// Collects the answer to `SCORES LIST` or `SCORES SHOW <id>` from the lines
/// that follow it, bounded (a server cannot make it hold more than
/// `maxItems` matches or events).
///
/// Thread-safety: loop thread only.
public final class ScoreQuery {
    public enum Kind: Equatable { case list, show(String) }
    public enum Result: Equatable {
        case list([MatchSummary])
        case show(MatchSummary?, [ScoreEvent])
        case failed(ClientFailure)
    }

    public let kind: Kind
    public static let maxItems = 10_000
    private var matches: [MatchSummary] = []
    private var events: [ScoreEvent] = []
    public private(set) var result: Result?

    public init(_ kind: Kind) { self.kind = kind }

    public var request: IRCMessage {
        switch kind {
        case .list: return IRCMessage(command: "SCORES", params: ["LIST"])
        case .show(let id): return IRCMessage(command: "SCORES", params: ["SHOW", id])
        }
    }

    /// Feeds a line; returns the result once complete.
    public func receive(_ line: ScoreLine) -> Result? {
        guard result == nil else { return result }
        switch (line, kind) {
        case (.match(let m), .list):
            if matches.count < Self.maxItems { matches.append(m) }
        case (.match(let m), .show(let id)) where m.id == id:
            matches = [m]
        case (.event(let e), .show(let id)) where e.matchID == id:
            if events.count < Self.maxItems { events.append(e) }
        case (.endList, .list):
            result = .list(matches)
        case (.end(let id), .show(let want)) where id == want:
            result = .show(matches.first, events)
        case (.fail(let code, _, let text), _):
            result = .failed(code == "NO_SUCH_MATCH" ? .notFound(text) : .refused("\(code): \(text)"))
        default:
            break
        }
        return result
    }
}
