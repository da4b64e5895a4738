/// The ISUPPORT (005) tokens, at most 13 per line: what the welcome and
/// VERSION advertise. Moved out of `IRCServer` whole; it only reads config.
///
/// Thread-safety: a pure function; any thread.
enum IsupportTokens {
    static func lines(config: ServerConfig, services: Bool, fileHostURL: String?) -> [[String]] {
        let l = config.limits
        let tokens = [
            "ACCOUNTEXTBAN=\(ExtBan.accountType)",
            "AWAYLEN=\(l.awayLength)",
            "BOT=B",
            "CASEMAPPING=\(CaseMapping.name)",
            "CHANLIMIT=#:\(l.maxChannelsPerUser)",
            "CHANMODES=beI,k,l,Cimnst",
            "CHANNELLEN=\(l.channelLength)",
            "CHANTYPES=#",
            "ELIST=CMNTU",
            "EXCEPTS=e",
            "EXTBAN=\(ExtBan.prefix),\(ExtBan.types)",
            "HOSTLEN=64",
            "INVEX=I",
            "KICKLEN=\(l.kickReasonLength)",
            "LINELEN=\(l.maxLineLength)",
            "MAXLIST=b:\(l.maxBans),e:\(l.maxBans),I:\(l.maxBans)",
            "MAXTARGETS=\(l.maxTargets)",
            "MONITOR=\(MonitorRegistry.defaultLimit)",
            "MODES=4",
            "NETWORK=\(config.networkName)",
            "NICKLEN=\(l.nickLength)",
            "PREFIX=(ov)@+",
            "SCORES",
            "STATUSMSG=@+",
            "TARGMAX=JOIN:\(l.maxTargets),KICK:\(l.maxTargets),NAMES:\(l.maxTargets),NOTICE:\(l.maxTargets),PART:\(l.maxTargets),PRIVMSG:\(l.maxTargets),TAGMSG:\(l.maxTargets),WHOIS:\(l.maxTargets),WHOWAS:\(l.maxTargets)",
            "TOPICLEN=\(l.topicLength)",
            "MSGREFTYPES=msgid,timestamp",
            "USERLEN=\(l.userLength)",
            "UTF8ONLY",
            "WHOX",
        ]
        var all = tokens
        if services { all.insert("CHATHISTORY=\(config.history.maxChathistoryLimit)", at: 2) }
        if services { all.insert("FILES=\(config.files.maxBytes)", at: 3) }
        if services, let url = fileHostURL { all.append("draft/FILEHOST=\(url)") }
        return stride(from: 0, to: all.count, by: 13).map { Array(all[$0..<min($0 + 13, all.count)]) }
    }
}
