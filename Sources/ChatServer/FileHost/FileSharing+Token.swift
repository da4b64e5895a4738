/// `FILE TOKEN`: the web page's way to files over HTTP without keeping the
/// password. The token stands for this connection (and its account) until
/// the connection closes or `FileTokens.lifetimeSeconds` pass.
extension FileSharing {
    /// `→ FILE TOKEN <token> <seconds>`
    func issueToken(_ client: Client) throws {
        guard let account = client.account else {
            throw FileFailure(.needAccount, nil, "Log in to an account to get a file token")
        }
        let grant = tokens.issue(clientID: client.id, account: account, now: server.clock.monotonicNanos)
        reply(client, ["TOKEN", grant.token, String(FileTokens.lifetimeSeconds)])
    }
}
