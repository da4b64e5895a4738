/// The numeric replies this server sends, named as in the modern IRC client
/// protocol documentation.
///
/// Thread-safety: constants; any thread.
public enum Numeric: String {
    case welcome = "001", yourHost = "002", created = "003", myInfo = "004", isupport = "005"
    case umodeIs = "221"
    case adminMe = "256", adminLoc1 = "257", adminLoc2 = "258", adminEmail = "259"
    case luserClient = "251", luserOp = "252", luserUnknown = "253", luserChannels = "254", luserMe = "255"
    case localUsers = "265", globalUsers = "266"
    case away = "301", userhost = "302", ison = "303", unaway = "305", nowAway = "306"
    case whoisUser = "311", whoisServer = "312", whoisOperator = "313", whowasUser = "314"
    case endOfWho = "315", whoisIdle = "317", endOfWhois = "318", whoisChannels = "319"
    case listStart = "321", list = "322", listEnd = "323", channelModeIs = "324", creationTime = "329"
    case whoisAccount = "330"
    case whoisSecure = "671"
    case noTopic = "331", topic = "332", topicWhoTime = "333"
    case invitedChannel = "336", endOfInvitedChannels = "337"
    case inviting = "341", version = "351", whoReply = "352", namReply = "353"
    case banList = "367", endOfBanList = "368", endOfWhowas = "369", endOfNames = "366"
    case motd = "372", motdStart = "375", endOfMotd = "376", youreOper = "381"
    case time = "391"
    case unknownError = "400", noSuchNick = "401", noSuchServer = "402", noSuchChannel = "403"
    case cannotSendToChan = "404", tooManyChannels = "405", wasNoSuchNick = "406", tooManyTargets = "407"
    case noOrigin = "409", noRecipient = "411", noTextToSend = "412", inputTooLong = "417"
    case unknownCommand = "421", noMotd = "422"
    case noNicknameGiven = "431", erroneousNickname = "432", nicknameInUse = "433"
    case userNotInChannel = "441", notOnChannel = "442", userOnChannel = "443"
    case notRegistered = "451", needMoreParams = "461", alreadyRegistered = "462"
    case passwdMismatch = "464", keySet = "467", invalidUsername = "468"
    case channelIsFull = "471", unknownMode = "472", inviteOnlyChan = "473", bannedFromChan = "474"
    case badChannelKey = "475", badChanMask = "476", banListFull = "478"
    case noPrivileges = "481", chanOpPrivsNeeded = "482", noOperHost = "491"
    case uModeUnknownFlag = "501", usersDontMatch = "502"
    case invalidCapCmd = "410"
    case invalidKey = "525", invalidModeParam = "696"
    case loggedIn = "900", loggedOut = "901", saslSuccess = "903", saslFail = "904"
    case saslTooLong = "905", saslAborted = "906", saslAlready = "907", saslMechs = "908"
    // IRCv3 additions
    case whoisBot = "335", whoSpcRpl = "354", info = "371", endOfInfo = "374"
    case helpNotFound = "524", helpStart = "704", helpTxt = "705", endOfHelp = "706"
    case monOnline = "730", monOffline = "731", monList = "732", endOfMonList = "733", monListFull = "734"
    // Ban and invite exceptions (+e, +I), LINKS
    case inviteList = "346", endOfInviteList = "347", exceptList = "348", endOfExceptList = "349"
    case links = "364", endOfLinks = "365"
    // draft/metadata-2
    case whoisKeyValue = "760", keyValue = "761", keyNotSet = "766"
    case metadataSubOK = "770", metadataUnsubOK = "771", metadataSubs = "772"
}
