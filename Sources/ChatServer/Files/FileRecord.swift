/// One share of a stored file: which bytes (by hash), under what name, by
/// whom, to which channel or person. Several shares may name the same bytes.
///
/// Thread-safety: a value type; any thread.
public struct FileRecord: Equatable {
    /// Where a file was shared.
    public enum Kind: String {
        /// A channel; `targetKey` is its folded name.
        case channel
        /// A person by account; `targetKey` is the folded account name.
        case account
        /// A person without an account, by nick; `targetKey` is the folded nick.
        case nick
    }

    public var id: Int64
    public var sha256: String
    public var filename: String
    public var size: Int
    /// The uploader as people saw them (`nick!user@host`) and as the rules know
    /// them: the folded account, or the folded nick when uploads need no account.
    public var uploaderMask: String
    public var uploaderKey: String
    public var kind: Kind
    /// The channel or person as written, and folded.
    public var target: String
    public var targetKey: String
    public var createdAtMillis: Int64
    /// False while a private share waits for its offline recipient to log in.
    public var delivered: Bool
    /// The uploader's account as registered, for the `account` tag of the
    /// share notice. Known for a share just stored; not kept in the database
    /// (a delayed delivery looks it up from `uploaderKey`).
    public var uploaderAccount: String? = nil

    /// The uploader's nick, from the mask.
    public var uploaderNick: String { String(uploaderMask.prefix { $0 != "!" }) }
}
