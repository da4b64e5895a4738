/// What the board tells the console: ingest checks and its status.
///
/// Thread-safety: loop thread only (as `ScoreBoard`).
extension ScoreBoard {
    /// Every draft that would fail after the ones before it (each numbered
    /// by `lines`, or 1, 2, … without); nil when all would apply.
    func check(_ drafts: [ScoreEventDraft], lines: [Int]? = nil) -> ScoreIngestError? {
        var trial = ledger
        var problems: [ScoreIngestError.Problem] = []
        for (index, draft) in drafts.enumerated() {
            do {
                _ = try trial.apply(draft, nowMillis: 0)
            } catch {
                problems.append(.init(line: lines?[index] ?? index + 1, reason: "\(error)"))
            }
        }
        return problems.isEmpty ? nil : ScoreIngestError(problems: problems)
    }
}

extension ScoreBoard {
    /// The `scores` object in the console's `status` reply.
    public var statusFields: [String: Any] {
        ["matches": ledger.matches.count, "eventsAnnounced": eventsAnnounced, "followers": followers.total,
         "udpSubscribers": udpSubscribers, "udpDatagramsSent": udpDatagramsSent,
         "udpDatagramsDropped": udp?.datagramsDropped ?? 0, "queuedChanges": queuedCount, "writes": writes]
    }
}
