/// A feature beside the IRC core (files, scores, the web side) that keeps
/// its own state in step with the server's: it hears about lifecycle events
/// instead of reading `IRCServer`'s tables. Register with
/// `IRCServer.addObserver`; every method has an empty default.
///
/// Thread-safety: called on the loop thread only, after the server's own
/// state reflects the event.
public protocol ServerObserver: AnyObject {
    /// `client` finished registration (001 sent).
    func clientRegistered(_ client: Client)
    /// A registered `client` changed its nick from `oldNick`.
    func clientRenamed(_ client: Client, from oldNick: String)
    /// `client` left (registered or not); it is no longer in any table.
    func clientQuit(_ client: Client, reason: String)
    /// The last member left `channel`, which no longer exists. When clients
    /// quit together (`Departures.quitTogether`) this comes for every channel
    /// the batch empties before any of them is reported quit.
    func channelEmptied(_ channel: Channel)
    /// `client` joined `channel` (after the JOIN, topic, names and history went out).
    func clientJoined(_ client: Client, channel: Channel)
    /// `client` logged in to `client.account` (SASL, PASS, or REGISTER when `newAccount`).
    func clientLoggedIn(_ client: Client, newAccount: Bool)
}

extension ServerObserver {
    public func clientRegistered(_ client: Client) {}
    public func clientRenamed(_ client: Client, from oldNick: String) {}
    public func clientQuit(_ client: Client, reason: String) {}
    public func channelEmptied(_ channel: Channel) {}
    public func clientJoined(_ client: Client, channel: Channel) {}
    public func clientLoggedIn(_ client: Client, newAccount: Bool) {}
}
