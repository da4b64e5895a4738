/// /scores /match /follow /unfollow: the SCORES extension (issue #12).
///
/// Thread-safety: the handlers run on the loop thread.
enum ScoreCommands {
    static let all: [UICommand] = [
        UICommand("scores", "/scores", "list the matches") { app, _ in app.queryScores(.list) },
        UICommand("match", "/match ID", "show a match and its events", min: 1) { app, a in app.queryScores(.show(a[0]!)) },
        UICommand("follow", "/follow ID [--udp]", "follow a match: events in a window, the score in the status line", min: 1) { app, a in
            if a.words.contains("--udp") {
                // The UDP subscriber and its statistics are the ScoreFeed target of issue #12, not yet landed.
                return app.error("/follow --udp needs the UDP score feed, which this build does not have yet")
            }
            app.follow(matchID: a[0]!)
        },
        UICommand("unfollow", "/unfollow", "stop following the match") { app, _ in app.unfollow() },
    ]
}
