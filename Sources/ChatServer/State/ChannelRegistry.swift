/// Every channel, by folded name, and the topics kept from earlier runs.
///
/// It owns membership: a client is in a channel's member table exactly when
/// the channel is in the client's channel table, and a channel with no
/// members does not exist (its modes, bans and invites go with it). The
/// server hears that a channel emptied from `removeMember`'s answer and
/// passes it on to its observers.
///
/// Thread-safety: loop thread only.
public final class ChannelRegistry {
    public private(set) var byName: [String: Channel] = [:]
    /// Topics that outlive their channel, applied when it is created again.
    private var savedTopics: [String: ChatStorage.StoredTopic] = [:]

    init() {}

    public var count: Int { byName.count }
    public var isEmpty: Bool { byName.isEmpty }

    public func named(_ name: String) -> Channel? { byName[CaseMapping.fold(name)] }

    /// All channels in name order (LIST, the console).
    func sortedByName() -> [Channel] { byName.values.sorted { $0.folded < $1.folded } }
    /// Whether `channel` still exists (it is gone once its last member left).
    func contains(_ channel: Channel) -> Bool { byName[channel.folded] === channel }

    /// Topics read from the database at startup.
    func loadSavedTopics(_ topics: [String: ChatStorage.StoredTopic]) { savedTopics = topics }

    /// Remembers a topic (already set on the channel) for when the channel is re-created.
    func saveTopic(_ saved: ChatStorage.StoredTopic, folded: String) { savedTopics[folded] = saved }

    /// Forgets a topic retention dropped from the database, unless it was saved again since.
    func forgetSavedTopic(_ dropped: ChatStorage.StoredTopic, folded: String) {
        if savedTopics[folded] == dropped { savedTopics[folded] = nil }
    }

    /// Creates `name` with `founder` as its operator, restoring a saved topic.
    func create(_ name: String, founder: Client, createdAtSeconds: Int64) -> Channel {
        let channel = Channel(name: name, createdAtSeconds: createdAtSeconds)
        if let saved = savedTopics[channel.folded], let topic = saved.topic {
            channel.topic = topic
            channel.topicSetBy = saved.setBy
            channel.topicSetAtSeconds = saved.setAtSeconds
        }
        byName[channel.folded] = channel
        addMember(founder, to: channel, membership: .op)
        return channel
    }

    func addMember(_ client: Client, to channel: Channel, membership: Channel.Membership) {
        channel.insertMember(client, membership: membership)
        client.channels[channel.folded] = channel
    }

    /// Takes `client` out of `channel`; returns true when that emptied (and so removed) the channel.
    @discardableResult
    func removeMember(_ client: Client, from channel: Channel) -> Bool {
        channel.deleteMember(client)
        client.channels[channel.folded] = nil
        guard channel.members.isEmpty else { return false }
        if byName[channel.folded] === channel { byName[channel.folded] = nil }
        return true
    }

    /// Shutdown: every channel goes at once, without per-member bookkeeping
    /// to tell anyone about (everyone is leaving).
    func dissolveAll(members clients: some Sequence<Client>) {
        for client in clients { client.channels = [:] }
        byName = [:]
    }
}
