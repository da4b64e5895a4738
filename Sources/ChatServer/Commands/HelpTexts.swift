/// The text HELP shows for each command: its syntax (sent as 704) and a
/// few lines of explanation (705). Kept apart from the handlers so the
/// wording can change without touching them; a test checks that every
/// command in the table has an entry.
///
/// Thread-safety: constants; any thread.
enum HelpTexts {
    struct Entry {
        let syntax: String
        let lines: [String]
    }

    /// By upper-case command name.
    static let entries: [String: Entry] = [
        "AUTHENTICATE": Entry(syntax: "AUTHENTICATE <mechanism>|<base64>|*",
                              lines: ["Logs in with SASL PLAIN (needs the sasl capability)."]),
        "AWAY": Entry(syntax: "AWAY [:<message>]",
                      lines: ["Marks you away with a message; without one, marks you back."]),
        "CAP": Entry(syntax: "CAP LS [302] | LIST | REQ :<caps> | END",
                     lines: ["Negotiates IRCv3 capabilities."]),
        "CHATHISTORY": Entry(syntax: "CHATHISTORY LATEST|BEFORE|AFTER|AROUND|BETWEEN <#channel> <refs…> <limit>",
                             lines: ["Reads stored channel messages (needs batch)."]),
        "FILE": Entry(syntax: "FILE UPLOAD|CHUNK|END|ABORT|GET|LIST|DELETE <args…>",
                      lines: ["Shares a text file with a channel or a person, or fetches, lists or deletes one.",
                              "UPLOAD <target> <name> <size> <sha256>, CHUNK <id> :<base64>, END <id>; GET <file-id>; LIST <target>. See docs/FILES.md."]),
        "HELP": Entry(syntax: "HELP [<command>]",
                      lines: ["Shows help on a command; without one, lists the commands."]),
        "HELPOP": Entry(syntax: "HELPOP [<command>]", lines: ["The same as HELP."]),
        "INFO": Entry(syntax: "INFO", lines: ["Shows what this server is and runs on."]),
        "INVITE": Entry(syntax: "INVITE <nick> <#channel>",
                        lines: ["Invites someone into a channel (operators only on +i channels)."]),
        "ISON": Entry(syntax: "ISON <nick> [<nick>…]", lines: ["Says which of the nicks are online."]),
        "JOIN": Entry(syntax: "JOIN <#channel>[,<#channel>…] [<key>[,<key>…]]",
                      lines: ["Joins channels, creating those that do not exist.", "JOIN 0 leaves every channel."]),
        "KICK": Entry(syntax: "KICK <#channel> <nick> [:<reason>]",
                      lines: ["Removes someone from a channel (channel operators)."]),
        "KILL": Entry(syntax: "KILL <nick> :<reason>", lines: ["Disconnects someone (server operators)."]),
        "LIST": Entry(syntax: "LIST [<#channel>[,<#channel>…]]", lines: ["Lists channels with their sizes and topics."]),
        "LUSERS": Entry(syntax: "LUSERS", lines: ["Shows how many users and channels there are."]),
        "MODE": Entry(syntax: "MODE <target> [<modes> [<arguments>…]]",
                      lines: ["Shows or changes channel modes (+b +i +k +l +m +n +o +t +v)",
                              "or your own user modes (+i, +B for bots, -o)."]),
        "MONITOR": Entry(syntax: "MONITOR +|- <nick>[,<nick>…] | C | L | S",
                         lines: ["Tells you when the nicks on your list come online or leave.",
                                 "+ adds, - removes, C clears, L lists, S shows each one's status."]),
        "SCORES": Entry(syntax: "SCORES LIST | SHOW <id> | FOLLOW <id> [since=<seq>] | UNFOLLOW <id> | UDP <id> | UDPSTOP <token>",
                        lines: ["Live football scores: the matches, one match's events, new events pushed to you,",
                                "or a token for the UDP stream. Each match also has a room, #match-<id>."]),
        "MOTD": Entry(syntax: "MOTD", lines: ["Shows the message of the day."]),
        "NAMES": Entry(syntax: "NAMES <#channel>", lines: ["Lists a channel's members."]),
        "NICK": Entry(syntax: "NICK <nick>", lines: ["Sets or changes your nick."]),
        "NOTICE": Entry(syntax: "NOTICE <target>[,<target>…] :<text>",
                        lines: ["Like PRIVMSG, but never answered automatically."]),
        "OPER": Entry(syntax: "OPER <name> <password>", lines: ["Makes you a server operator."]),
        "PART": Entry(syntax: "PART <#channel>[,<#channel>…] [:<reason>]", lines: ["Leaves channels."]),
        "PASS": Entry(syntax: "PASS <password> | PASS <account>:<password>",
                      lines: ["Before registering: the server password, or an account log-in."]),
        "PING": Entry(syntax: "PING <token>", lines: ["The server answers PONG with the token."]),
        "PONG": Entry(syntax: "PONG <token>", lines: ["Answers the server's PING."]),
        "PRIVMSG": Entry(syntax: "PRIVMSG <target>[,<target>…] :<text>",
                         lines: ["Sends a message to channels or users; @#channel reaches its operators."]),
        "QUIT": Entry(syntax: "QUIT [:<reason>]", lines: ["Disconnects."]),
        "REGISTER": Entry(syntax: "REGISTER <account>|* <email>|* :<password>",
                          lines: ["Registers an account (* takes your nick) and logs you in."]),
        "SETNAME": Entry(syntax: "SETNAME :<real name>",
                         lines: ["Changes your real name (needs the setname capability to see the change)."]),
        "TAGMSG": Entry(syntax: "TAGMSG <target>", lines: ["Sends only tags (needs message-tags)."]),
        "TIME": Entry(syntax: "TIME", lines: ["Shows the server's time."]),
        "TOPIC": Entry(syntax: "TOPIC <#channel> [:<topic>]", lines: ["Shows or sets a channel's topic."]),
        "USER": Entry(syntax: "USER <user> 0 * :<real name>", lines: ["Registers your user name and real name."]),
        "USERHOST": Entry(syntax: "USERHOST <nick> [<nick>…]", lines: ["Shows up to five users' addresses."]),
        "VERSION": Entry(syntax: "VERSION", lines: ["Shows the server version and what it supports."]),
        "WHO": Entry(syntax: "WHO <mask> [o][%<fields>[,<token>]]",
                     lines: ["Lists users matching a nick, host, real name or channel.",
                             "%fields (WHOX) picks columns from t c u i h s n f d l a o r."]),
        "WHOIS": Entry(syntax: "WHOIS <nick>", lines: ["Shows what is known about a user."]),
        "WHOWAS": Entry(syntax: "WHOWAS <nick> [<count>]", lines: ["Shows who recently used a nick."]),
    ]
}
