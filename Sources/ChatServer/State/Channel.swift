/// A chat room: members with their prefixes, topic, modes and lists.
///
/// Thread-safety: loop thread only.
public final class Channel {
    /// A member's channel privileges.
    public struct Membership: OptionSet, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let op = Membership(rawValue: 1 << 0)
        public static let voice = Membership(rawValue: 1 << 1)

        /// The highest prefix, or all of them for multi-prefix clients.
        func prefix(all: Bool) -> String {
            var s = ""
            if contains(.op) { s += "@" }
            if contains(.voice) && (all || s.isEmpty) { s += "+" }
            return s
        }
    }

    public struct Member {
        public let client: Client
        public var membership: Membership
        /// Where this member sits in `roster`.
        var rosterSlot: Int
    }

    /// A ban-list entry.
    public typealias Ban = ChannelAccessLists.Entry

    public let name: String
    public let folded: String
    public let createdAtSeconds: Int64
    /// Written only through `ChannelRegistry` (which keeps the client's side in step) and `setPrivilege`.
    private(set) var members: [UInt64: Member] = [:]
    /// The same members in one contiguous array, for per-member delivery
    /// loops (see `ChannelRoster`); changed only together with `members`.
    private(set) var roster = ChannelRoster()
    var topic: String?
    var topicSetBy = ""
    var topicSetAtSeconds: Int64 = 0
    var inviteOnly = false
    var moderated = false
    var noExternalMessages = true
    var topicLocked = true
    /// +C: no CTCP but ACTION (`/me`) from anyone but server operators.
    var noCTCP = false
    /// +s: hidden from LIST, NAMES, WHO and WHOIS of non-members.
    var secret = false
    var key: String?
    var userLimit: Int?
    /// +b, +e and +I, with the rules that combine them (Bans/).
    var accessLists = ChannelAccessLists()
    public var bans: [Ban] { accessLists.bans }
    /// Invited client ids → when the invite lapses (monotonic nanoseconds).
    /// Kept here, not on the client, so an invite dies with its channel.
    private var invites: [UInt64: UInt64] = [:]

    init(name: String, createdAtSeconds: Int64) {
        self.name = name
        self.folded = CaseMapping.fold(name)
        self.createdAtSeconds = createdAtSeconds
    }

    func membership(of client: Client) -> Membership? { members[client.id]?.membership }
    func isMember(_ client: Client) -> Bool { members[client.id] != nil }

    /// Whether `asker` may learn that this channel exists and who is in it:
    /// members and server operators always, others unless it is +s.
    func isVisible(to asker: Client) -> Bool { !secret || isMember(asker) || asker.isOperator }
    func isOp(_ client: Client) -> Bool { members[client.id]?.membership.contains(.op) ?? false }

    /// "+ntk key" style, with parameters only for members.
    func modeString(showParameters: Bool) -> [String] {
        var flags = "+"
        var params: [String] = []
        if noCTCP { flags += "C" }
        if inviteOnly { flags += "i" }
        if moderated { flags += "m" }
        if noExternalMessages { flags += "n" }
        if secret { flags += "s" }
        if topicLocked { flags += "t" }
        if let key { flags += "k"; if showParameters { params.append(key) } }
        if let userLimit { flags += "l"; if showParameters { params.append(String(userLimit)) } }
        return [flags] + params
    }

    /// `ChannelRegistry.addMember` only: the registry files the channel on the client too.
    func insertMember(_ client: Client, membership: Membership) {
        if let existing = members[client.id] {
            members[client.id]?.membership = membership
            roster.setMembership(membership, at: existing.rosterSlot)
        } else {
            let slot = roster.append(client, membership: membership)
            members[client.id] = Member(client: client, membership: membership, rosterSlot: slot)
        }
        invites[client.id] = nil
    }

    /// `ChannelRegistry.removeMember` only.
    func deleteMember(_ client: Client) {
        guard let member = members.removeValue(forKey: client.id) else { return }
        if let moved = roster.remove(at: member.rosterSlot) { members[moved]?.rosterSlot = member.rosterSlot }
    }

    /// Gives or takes a member's +o or +v; false if `client` is not a member
    /// or already had it that way.
    func setPrivilege(_ flag: Membership, of client: Client, to granted: Bool) -> Bool {
        guard var member = members[client.id], member.membership.contains(flag) != granted else { return false }
        if granted { member.membership.insert(flag) } else { member.membership.remove(flag) }
        members[client.id] = member
        roster.setMembership(member.membership, at: member.rosterSlot)
        return true
    }

    /// Lets `client` past +i/+k/+l/+b once, until `expiresAtNanos`.
    func invite(_ client: Client, expiresAtNanos: UInt64, now: UInt64) {
        // Lapsed invites go when new ones come, so the table stays as small
        // as the invites actually in force.
        if invites.count >= 32 { pruneInvites(now: now) }
        invites[client.id] = expiresAtNanos
    }

    func isInvited(_ client: Client, now: UInt64) -> Bool {
        guard let expiry = invites[client.id] else { return false }
        return now < expiry
    }

    /// Drops lapsed invites (those of clients that left lapse like any other).
    private func pruneInvites(now: UInt64) {
        guard !invites.isEmpty else { return }
        invites = invites.filter { now < $0.value }
    }

    /// Whether `client` may not speak here: a ban or a mute matches it and no exception does.
    func isBanned(_ client: Client) -> Bool { accessLists.barsSpeaking(client) }
}
