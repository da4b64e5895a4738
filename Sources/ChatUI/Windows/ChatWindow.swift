import ChatClient

/// One window: the server, a channel, a private conversation, or a match.
/// Holds its lines (bounded, oldest dropped), members, topic, unread count
/// and how far the user has scrolled back.
///
/// Thread-safety: loop thread only (owned by `WindowList`).
public final class ChatWindow {
    public enum Kind: Equatable { case server, channel, query, match }

    public private(set) var name: String
    public let kind: Kind
    public private(set) var lines: [ChatLine] = []
    public var topic = ""
    /// Members by folded nick → nick as shown (with its prefix, `@alice`).
    public private(set) var members: [String: String] = [:]
    public var unread = 0
    /// Someone said our nick here, or wrote to us privately.
    public var highlighted = false
    /// Screen rows scrolled up from the bottom (0: following new lines).
    public var scrollRows = 0
    public var joined = false
    private var msgids: Set<String> = []

    public static let maxLines = 2_000

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    public func rename(_ new: String) { name = new }

    public func append(_ line: ChatLine) {
        if let id = line.msgid {
            guard msgids.insert(id).inserted else { return }
        }
        lines.append(line)
        trim()
    }

    /// Merges history: lines already shown (same msgid) are skipped, and the
    /// window is put back in time order, so history replayed on a rejoin or
    /// fetched by /more lands where it belongs.
    public func mergeHistory(_ history: [ChatLine]) {
        var fresh: [ChatLine] = []
        for line in history {
            if let id = line.msgid, !msgids.insert(id).inserted { continue }
            fresh.append(line)
        }
        guard !fresh.isEmpty else { return }
        if let first = lines.first, fresh.allSatisfy({ $0.timeMillis <= first.timeMillis }) {
            // Older than everything shown (/more, or history on a first join):
            // in front, in the server's order, which also orders lines said
            // within the same millisecond.
            lines.insert(contentsOf: fresh, at: 0)
        } else {
            // A rejoin's replay overlaps what is shown: merge by time (stable,
            // so lines of the same millisecond keep their order).
            lines = (lines + fresh).enumerated()
                .sorted { ($0.element.timeMillis, $0.offset) < ($1.element.timeMillis, $1.offset) }.map(\.element)
        }
        trim()
    }

    private func trim() {
        guard lines.count > Self.maxLines else { return }
        for line in lines.prefix(lines.count - Self.maxLines) { if let id = line.msgid { msgids.remove(id) } }
        lines.removeFirst(lines.count - Self.maxLines)
    }

    /// Where `/more` continues from: the oldest line's msgid, else its time.
    public var oldestHistoryReference: String? {
        guard let first = lines.first(where: { $0.kind == .message || $0.kind == .action || $0.kind == .notice }) else { return nil }
        if let id = first.msgid { return "msgid=\(id)" }
        return "timestamp=\(TimeText.serverTime(first.timeMillis))"
    }

    /// Marks the line with `msgid` deleted (REDACT); false if it is not here.
    @discardableResult
    public func redact(msgid: String, note: String) -> Bool {
        guard msgids.contains(msgid), let i = lines.lastIndex(where: { $0.msgid == msgid }) else { return false }
        lines[i].isRedacted = true
        lines[i].text = note
        lines[i].fileID = nil
        return true
    }

    /// The newest line of ours that can still be deleted (it has a msgid).
    public var lastOwnMessage: ChatLine? {
        lines.last { $0.isOwn && $0.msgid != nil && !$0.isRedacted && ($0.kind == .message || $0.kind == .action || $0.kind == .notice) }
    }

    public func setMembers(_ nicks: [String], prefixes: Set<Character>) {
        members = [:]
        for n in nicks { addMember(n, prefixes: prefixes) }
    }

    public func addMember(_ shown: String, prefixes: Set<Character>) {
        let bare = String(shown.drop { prefixes.contains($0) })
        guard !bare.isEmpty else { return }
        members[bare.lowercased()] = shown
    }

    @discardableResult
    public func removeMember(_ nick: String) -> Bool { members.removeValue(forKey: nick.lowercased()) != nil }

    public func hasMember(_ nick: String) -> Bool { members[nick.lowercased()] != nil }

    /// Nicks without prefixes, for tab completion.
    public func memberNicks(prefixes: Set<Character>) -> [String] {
        members.values.map { String($0.drop { prefixes.contains($0) }) }
    }

    public func clearMembers() { members = [:] }
}
