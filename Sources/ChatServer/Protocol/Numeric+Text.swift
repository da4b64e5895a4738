/// The fixed human-readable text of numerics that always say the same
/// thing: written once here, not at each call site. Numerics whose text
/// varies (welcome, LUSERS counts, away messages) have none.
extension Numeric {
    public var standardText: String? {
        switch self {
        case .endOfWho: return "End of /WHO list"
        case .endOfWhois: return "End of /WHOIS list"
        case .endOfWhowas: return "End of WHOWAS"
        case .endOfNames: return "End of /NAMES list"
        case .endOfBanList: return "End of channel ban list"
        case .listEnd: return "End of /LIST"
        case .endOfMotd: return "End of /MOTD command."
        case .noMotd: return "MOTD File is missing"
        case .noSuchNick: return "No such nick/channel"
        case .noSuchChannel: return "No such channel"
        case .wasNoSuchNick: return "There was no such nickname"
        case .noOrigin: return "No origin specified"
        case .noTextToSend: return "No text to send"
        case .inputTooLong: return "Input line was too long"
        case .unknownCommand: return "Unknown command"
        case .noNicknameGiven: return "No nickname given"
        case .erroneousNickname: return "Erroneous nickname"
        case .nicknameInUse: return "Nickname is already in use"
        case .userNotInChannel: return "They aren't on that channel"
        case .notOnChannel: return "You're not on that channel"
        case .userOnChannel: return "is already on channel"
        case .notRegistered: return "You have not registered"
        case .needMoreParams: return "Not enough parameters"
        case .alreadyRegistered: return "You may not reregister"
        case .passwdMismatch: return "Password incorrect"
        case .keySet: return "Channel key already set"
        case .channelIsFull: return "Cannot join channel (+l)"
        case .inviteOnlyChan: return "Cannot join channel (+i)"
        case .bannedFromChan: return "Cannot join channel (+b)"
        case .badChannelKey: return "Cannot join channel (+k)"
        case .badChanMask: return "Bad Channel Mask"
        case .banListFull: return "Channel ban list is full"
        case .noPrivileges: return "Permission Denied- You're not an IRC operator"
        case .chanOpPrivsNeeded: return "You're not channel operator"
        case .uModeUnknownFlag: return "Unknown MODE flag"
        case .usersDontMatch: return "Cant change mode for other users"
        case .invalidKey: return "Key is not well-formed"
        case .loggedOut: return "You are now logged out"
        case .saslSuccess: return "SASL authentication successful"
        case .saslAborted: return "SASL authentication aborted"
        case .saslMechs: return "are available SASL mechanisms"
        case .endOfMonList: return "End of MONITOR list"
        case .monListFull: return "Monitor list is full"
        default: return nil
        }
    }
}
