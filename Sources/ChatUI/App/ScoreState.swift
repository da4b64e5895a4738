import ChatClient

/// Score queries in flight and the followed match (one at a time: its score
/// is in the status line).
///
/// Thread-safety: loop thread only.
struct ScoreState {
    var query: (ScoreQuery, ChatWindow)?
    var followed: FollowedMatch?
    var followWindow: ChatWindow?
    /// The followed match's UDP stream (`/follow ID --udp`), if that is how it is followed.
    var udp: UDPScoreWatch?
}
