/// /scores /match /follow /unfollow: the SCORES extension (issue #12).
///
/// Thread-safety: the handlers run on the loop thread.
enum ScoreCommands {
    static let all: [UICommand] = [
        UICommand("scores", "/scores", "list the matches") { app, _ in app.queryScores(.list) },
        UICommand("match", "/match ID", "show a match and its events", min: 1) { app, a in app.queryScores(.show(a[0]!)) },
        UICommand("follow", "/follow ID [--udp]", "follow a match: events in a window, the score in the status line", min: 1) { app, a in
            let id = a.words.first { $0 != "--udp" } ?? ""
            app.follow(matchID: id, overUDP: a.words.contains("--udp"))
        },
        UICommand("unfollow", "/unfollow", "stop following the match (over UDP: shows what the stream lost, repeated or reordered)") { app, _ in app.unfollow() },
    ]
}
