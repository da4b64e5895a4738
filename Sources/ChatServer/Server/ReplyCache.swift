/// What the reply path reuses instead of rebuilding per line: the buffer one
/// reply is encoded into, the pre-encoded welcome, and the formatted
/// server-time of the current millisecond. Profiles of churn and fan-out put
/// each of these on the hot path (docs/BENCHMARKS.md).
///
/// Thread-safety: loop thread only.
final class ReplyCache {
    /// Scratch space for encoding one reply; emptied (capacity kept) before each use.
    var buffer: [UInt8] = []
    /// Lines in `buffer` not yet counted in `linesOut` (a burst holds several).
    var pendingLines = 0
    /// Pre-encoded welcome replies; nil until first needed and after a reload.
    var welcome: (head: WelcomeTemplate, motd: WelcomeTemplate, welcomeLead: [UInt8])?
    private var time: (millis: Int64, text: String) = (Int64.min, "")

    /// `now` with its server-time text, formatted once per millisecond.
    func wallTime(millis now: Int64) -> (millis: Int64, text: String) {
        if now != time.millis { time = (now, ServerTime.format(millis: now)) }
        return time
    }
}
