import ChatServer

/// The client's side of connection registration: `CAP LS 302`, `CAP REQ` for
/// the wanted capabilities the server offers, SASL PLAIN when an account is
/// given, `CAP END`, and NICK/USER until `001`. Pure: it is fed the server's
/// lines and answers with actions, so every branch is unit-tested without a
/// socket.
///
/// Thread-safety: a value type, owned by one `ChatConnection`; loop thread.
public struct RegistrationMachine {
    public enum Action: Equatable {
        case send(IRCMessage)
        case registered(nick: String, caps: Set<String>)
        case loggedIn(account: String)
        case failed(ClientFailure)
    }

    enum Phase { case listing, requesting, authenticating, welcoming, done }

    public private(set) var nick: String
    let user: String
    let realName: String
    let account: String?
    let password: String?
    let wanted: [String]
    private(set) var phase = Phase.listing
    private var offered: [String] = []
    public private(set) var enabled: Set<String> = []
    private var nickAttempts = 0

    public init(nick: String, user: String, realName: String, account: String?, password: String?, wanted: [String]) {
        self.nick = nick
        self.user = user
        self.realName = realName
        self.account = account
        self.password = password
        self.wanted = wanted + (account != nil ? ["sasl"] : [])
    }

    public var isDone: Bool { phase == .done }

    public mutating func start() -> [Action] {
        [.send(IRCMessage(command: "CAP", params: ["LS", "302"])),
         .send(IRCMessage(command: "NICK", params: [nick])),
         .send(IRCMessage(command: "USER", params: [user, "0", "*", realName]))]
    }

    public mutating func receive(_ m: IRCMessage) -> [Action] {
        switch (m.command, phase) {
        case ("CAP", _):
            return receiveCap(m)
        case ("AUTHENTICATE", .authenticating) where m.params.first == "+":
            guard let account, let password else { return [.failed(.loginFailed("no password"))] }
            return SASLPlain.authenticateParams(account: account, password: password).map {
                .send(IRCMessage(command: "AUTHENTICATE", params: [$0]))
            }
        case ("900", _) where m.params.count >= 3:
            return [.loggedIn(account: m.params[2])]
        case ("903", .authenticating):
            phase = .welcoming
            return [.send(IRCMessage(command: "CAP", params: ["END"]))]
        case ("902", .authenticating), ("904", .authenticating), ("905", .authenticating),
             ("906", .authenticating), ("908", .authenticating):
            return [.failed(.loginFailed(m.params.last ?? "SASL authentication failed"))]
        case ("001", _):
            phase = .done
            if let confirmed = m.params.first, !confirmed.isEmpty { nick = confirmed }
            return [.registered(nick: nick, caps: enabled)]
        case ("432", _) where phase != .done, ("433", _) where phase != .done:
            // Taken or registered to someone else: try nick_, nick__, … a few times.
            nickAttempts += 1
            guard nickAttempts <= 5 else { return [.failed(.refused(m.params.last ?? "nickname unavailable"))] }
            nick += "_"
            return [.send(IRCMessage(command: "NICK", params: [nick]))]
        default:
            return []
        }
    }

    private mutating func receiveCap(_ m: IRCMessage) -> [Action] {
        guard m.params.count >= 3 else { return [] }
        let sub = m.params[1].uppercased()
        switch sub {
        case "LS" where phase == .listing:
            // `CAP * LS * :caps` continues; the last line has no `*`.
            let more = m.params.count >= 4 && m.params[2] == "*"
            offered += m.params.last!.split(separator: " ").map { String($0.split(separator: "=").first ?? "") }
            if more { return [] }
            let request = wanted.filter { offered.contains($0) }
            if account != nil && !offered.contains("sasl") {
                return [.failed(.loginFailed("the server offers no SASL"))]
            }
            guard !request.isEmpty else {
                phase = .welcoming
                return [.send(IRCMessage(command: "CAP", params: ["END"]))]
            }
            phase = .requesting
            return [.send(IRCMessage(command: "CAP", params: ["REQ", request.joined(separator: " ")]))]
        case "ACK" where phase == .requesting:
            enabled.formUnion(m.params.last!.split(separator: " ").map(String.init))
            if account != nil && enabled.contains("sasl") {
                phase = .authenticating
                return [.send(IRCMessage(command: "AUTHENTICATE", params: ["PLAIN"]))]
            }
            phase = .welcoming
            return [.send(IRCMessage(command: "CAP", params: ["END"]))]
        case "NAK" where phase == .requesting:
            if account != nil { return [.failed(.loginFailed("the server refused the sasl capability"))] }
            phase = .welcoming
            return [.send(IRCMessage(command: "CAP", params: ["END"]))]
        default:
            return []
        }
    }
}
