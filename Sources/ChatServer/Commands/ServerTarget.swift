/// The optional `<target>` of VERSION, TIME, MOTD, ADMIN, INFO, LUSERS and
/// the two-parameter WHOIS (RFC 2812 §3.4, §3.6.2): a server name or mask,
/// or a nick standing for that user's server. chatd is a network of one, so
/// a target that matches neither its name nor a user is 402
/// ERR_NOSUCHSERVER, as ngIRCd and InspIRCd answer, instead of a reply
/// about this server that the client did not ask for.
///
/// Thread-safety: loop thread only (it reads the server's user table).
enum ServerTarget {
    /// Throws 402 unless `target` (absent or empty: this server) names this server.
    static func check(_ target: String?, on server: IRCServer) throws {
        guard let target, !target.isEmpty else { return }
        if CaseMapping.globMatch(target, server.serverName) || server.client(named: target) != nil { return }
        throw IRCError(standard: .noSuchServer, target)
    }

    /// `message.params[index]` if present.
    static func param(_ message: IRCMessage, _ index: Int) -> String? {
        index < message.params.count ? message.params[index] : nil
    }
}
