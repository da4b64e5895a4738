/// A channel's three mask lists: bans (`+b`), ban exceptions (`+e`) and
/// invite exceptions (`+I`), and the rules that combine them:
///
/// - joining is refused by a `+b` entry that is not a mute, unless a `+e` entry matches;
/// - speaking is refused by any `+b` entry (mutes included), unless a `+e` entry matches;
/// - a `+I` entry lets its matches join a `+i` channel without an INVITE.
///
/// Each list holds at most `limit` entries (`MAXLIST`), compared
/// case-insensitively in their normalized form.
///
/// Thread-safety: a value type owned by its `Channel`; loop thread only.
public struct ChannelAccessLists {
    /// Which list a mode letter names.
    public enum Kind: Character, CaseIterable {
        case ban = "b", exception = "e", inviteException = "I"
    }

    /// One entry as MODE lists it (367/348/346).
    public struct Entry: Equatable {
        public var mask: String
        public var setBy: String
        public var setAtSeconds: Int64
        let parsed: ExtBan
    }

    /// What `add` did.
    enum Change { case added, alreadyListed, full }

    public private(set) var bans: [Entry] = []
    public private(set) var exceptions: [Entry] = []
    public private(set) var inviteExceptions: [Entry] = []

    public func entries(_ kind: Kind) -> [Entry] {
        switch kind {
        case .ban: return bans
        case .exception: return exceptions
        case .inviteException: return inviteExceptions
        }
    }

    private mutating func modify<T>(_ kind: Kind, _ body: (inout [Entry]) -> T) -> T {
        switch kind {
        case .ban: return body(&bans)
        case .exception: return body(&exceptions)
        case .inviteException: return body(&inviteExceptions)
        }
    }

    /// Adds `entry` (already parsed and normalized) unless listed or the list is full.
    mutating func add(_ kind: Kind, _ entry: ExtBan, mask: String, setBy: String, atSeconds: Int64, limit: Int) -> Change {
        let folded = CaseMapping.fold(mask)
        return modify(kind) { list in
            if list.contains(where: { CaseMapping.fold($0.mask) == folded }) { return .alreadyListed }
            guard list.count < limit else { return .full }
            list.append(Entry(mask: mask, setBy: setBy, setAtSeconds: atSeconds, parsed: entry))
            return .added
        }
    }

    /// Removes `mask` (normalized); false if it was not listed.
    mutating func remove(_ kind: Kind, _ mask: String) -> Bool {
        let folded = CaseMapping.fold(mask)
        return modify(kind) { list in
            guard let index = list.firstIndex(where: { CaseMapping.fold($0.mask) == folded }) else { return false }
            list.remove(at: index)
            return true
        }
    }

    private func isExempt(_ client: Client) -> Bool {
        exceptions.contains { $0.parsed.matches(client) }
    }

    /// A `+b` that is not a mute matches and no `+e` does.
    func barsJoining(_ client: Client) -> Bool {
        guard bans.contains(where: { !$0.parsed.isMute && $0.parsed.matches(client) }) else { return false }
        return !isExempt(client)
    }

    /// Any `+b` (a mute too) matches and no `+e` does.
    func barsSpeaking(_ client: Client) -> Bool {
        guard !bans.isEmpty, bans.contains(where: { $0.parsed.matches(client) }) else { return false }
        return !isExempt(client)
    }

    /// A `+I` entry matches.
    func letsIn(_ client: Client) -> Bool {
        inviteExceptions.contains { $0.parsed.matches(client) }
    }
}
