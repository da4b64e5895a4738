/// MODE's list modes, `+b`, `+e` and `+I`: showing a list and changing one
/// entry. `ModeCommands.channelMode` hands each of these letters here after
/// its own checks (operator rights, the MODES cap per line).
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum ChannelListModes {
    /// 367/368 for bans, 348/349 for exceptions, 346/347 for invite exceptions.
    static func sendList(_ server: IRCServer, _ client: Client, _ channel: Channel, _ kind: ChannelAccessLists.Kind) {
        let (item, end): (Numeric, Numeric)
        switch kind {
        case .ban: (item, end) = (.banList, .endOfBanList)
        case .exception: (item, end) = (.exceptList, .endOfExceptList)
        case .inviteException: (item, end) = (.inviteList, .endOfInviteList)
        }
        for entry in channel.accessLists.entries(kind) {
            server.reply(client, item, channel.name, entry.mask, entry.setBy, String(entry.setAtSeconds))
        }
        server.reply(client, standard: end, channel.name)
    }

    /// Adds or removes `mask` on `kind`'s list; returns the entry as it
    /// goes into the MODE broadcast, or nil if nothing changed (the client
    /// has had its error reply).
    static func change(_ server: IRCServer, _ client: Client, _ channel: Channel, _ kind: ChannelAccessLists.Kind,
                       adding: Bool, mask: String) -> String? {
        let letter = String(kind.rawValue)
        // A space would split the mask into two words of every list reply.
        guard !mask.isEmpty, !mask.contains(" ") else {
            server.reply(client, .invalidModeParam, channel.name, letter, mask, "Masks cannot contain spaces")
            return nil
        }
        let parsed: (entry: ExtBan, normalized: String)
        do {
            parsed = try ExtBan.parse(mask)
        } catch let error as ExtBan.ParseError {
            server.reply(client, .invalidModeParam, channel.name, letter, mask, error.text)
            return nil
        } catch { return nil }
        if adding {
            switch channel.accessLists.add(kind, parsed.entry, mask: parsed.normalized, setBy: client.mask,
                                           atSeconds: server.clock.wallMillis / 1000, limit: server.limits.maxBans) {
            case .added: return parsed.normalized
            case .alreadyListed: return nil
            case .full:
                server.reply(client, .banListFull, channel.name, parsed.normalized,
                             kind == .ban ? "Channel ban list is full" : "Channel \(letter) list is full")
                return nil
            }
        }
        return channel.accessLists.remove(kind, parsed.normalized) ? parsed.normalized : nil
    }
}
