/// Whom a WHO (plain or WHOX) lists for a mask, as `QueryCommands.who`
/// decides it: a channel's members if the channel is visible to the asker
/// (invisible ones only to members, operators and those sharing a channel
/// with them), or users matching a nick/host/real-name glob under the same
/// rule, or the one user named.
///
/// The users are taken when the command comes; each one's line is made
/// when it is sent (`place`), which may be later (`PacedReply`).
///
/// Thread-safety: loop thread only.
struct WhoMatches {
    /// The channel asked about; nil for a mask or a nick.
    let channel: Channel?
    let users: [Client]

    init(_ server: IRCServer, _ asker: Client, mask: String, operatorsOnly: Bool) {
        if mask.hasPrefix("#") {
            guard let channel = server.channel(named: mask), channel.isVisible(to: asker) else {
                (self.channel, users) = (nil, [])
                return
            }
            let seesAll = channel.isMember(asker) || asker.isOperator
            self.channel = channel
            users = channel.members.values.compactMap { member in
                let user = member.client
                guard seesAll || !user.isInvisible || QueryCommands.sharesChannel(asker, user),
                      !operatorsOnly || user.isOperator else { return nil }
                return user
            }
            return
        }
        channel = nil
        let isGlob = mask.contains("*") || mask.contains("?")
        let candidates: [Client]
        if !isGlob, let exact = server.client(named: mask) {
            candidates = [exact]
        } else if isGlob {
            candidates = server.clients.all.filter {
                $0.isRegistered && (CaseMapping.globMatch(mask, $0.nick) || CaseMapping.globMatch(mask, $0.host)
                                    || CaseMapping.globMatch(mask, $0.realName))
            }
        } else {
            candidates = []
        }
        // +i hides a user from masks, not from someone who names them (modern
        // docs; WHOIS answers for them too).
        users = candidates.filter { other in
            (!isGlob || other === asker || !other.isInvisible || QueryCommands.sharesChannel(asker, other) || asker.isOperator)
                && (!operatorsOnly || other.isOperator)
        }
    }

    /// The channel and prefixes `user`'s line shows to `asker` now; nil if
    /// the user has gone since the listing was taken (quit, or left the
    /// channel asked about). Who may be seen was decided when the command
    /// came: a user turning +i during a long answer is still listed in it.
    func place(of user: Client, for asker: Client) -> (channel: String, membership: Channel.Membership)? {
        guard user.state != .quitting else { return nil }
        if let channel {
            guard let membership = channel.membership(of: user) else { return nil }
            return (channel.name, membership)
        }
        let first = user.channels.values.first { $0.isVisible(to: asker) }
        return (first?.name ?? "*", first?.membership(of: user) ?? [])
    }
}
