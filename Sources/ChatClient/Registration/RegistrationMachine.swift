import ChatServer
import Foundation

/// The client's side of connection registration: `CAP LS 302`, `CAP REQ` for
/// the wanted capabilities the server offers, SASL when an account is given
/// (SCRAM-SHA-256 when the server offers it, so the password does not cross
/// the wire; PLAIN otherwise, and once more with PLAIN if SCRAM is refused:
/// an account older than SCRAM has no verifier until a PLAIN log-in), `CAP
/// END`, and NICK/USER until `001`. Pure: it is fed the server's
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
    /// The SASL mechanisms the server lists in `sasl=`.
    private var mechanisms: [String] = []
    /// The SCRAM exchange under way, and whether it got past its first message.
    private var scram: ScramClientSide?
    private var scramStage = 0
    private var triedPlain = false
    /// The SCRAM client nonce; random, settable for tests.
    public var scramNonce: String?

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
        case ("AUTHENTICATE", .authenticating) where scram != nil:
            return scramStep(m.params.first ?? "")
        case ("AUTHENTICATE", .authenticating) where m.params.first == "+":
            guard let account, let password else { return [.failed(.loginFailed("no password"))] }
            return SASLPlain.authenticateParams(account: account, password: password).map {
                .send(IRCMessage(command: "AUTHENTICATE", params: [$0]))
            }
        case ("904", .authenticating) where scram != nil && !triedPlain:
            // No verifier yet (or a wrong password): PLAIN once, which also stores the verifier.
            scram = nil
            triedPlain = true
            return [.send(IRCMessage(command: "AUTHENTICATE", params: ["PLAIN"]))]
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
            for token in m.params.last!.split(separator: " ") {
                let parts = token.split(separator: "=", maxSplits: 1)
                offered.append(String(parts.first ?? ""))
                if parts.first == "sasl", parts.count == 2 { mechanisms = parts[1].split(separator: ",").map(String.init) }
            }
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
            if let account, enabled.contains("sasl") {
                phase = .authenticating
                if mechanisms.contains("SCRAM-SHA-256"), let password {
                    scram = ScramClientSide(user: account, password: password, nonce: scramNonce)
                    scramStage = 0
                    return [.send(IRCMessage(command: "AUTHENTICATE", params: ["SCRAM-SHA-256"]))]
                }
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

    /// One server message of the SCRAM exchange: `+` (send client-first),
    /// server-first (send the proof), server-final (check the server's
    /// signature, then `+`).
    private mutating func scramStep(_ payload: String) -> [Action] {
        guard var exchange = scram else { return [] }
        let text = payload == "+" ? "" : (Data(base64Encoded: payload).flatMap { String(data: $0, encoding: .utf8) } ?? "")
        func send(_ message: String) -> [Action] {
            SASLPlain.pieces(of: Data(message.utf8).base64EncodedString()).map { .send(IRCMessage(command: "AUTHENTICATE", params: [$0])) }
        }
        defer { scram = exchange }
        switch scramStage {
        case 0:
            scramStage = 1
            return send(exchange.clientFirst)
        case 1:
            guard let final = exchange.clientFinal(serverFirst: text) else {
                return [.failed(.loginFailed("the server's SCRAM challenge is malformed"))]
            }
            scramStage = 2
            return send(final)
        default:
            guard exchange.verify(serverFinal: text) else {
                return [.failed(.loginFailed("the server could not prove it knows the password (SCRAM)"))]
            }
            return [.send(IRCMessage(command: "AUTHENTICATE", params: ["+"]))]
        }
    }
}
