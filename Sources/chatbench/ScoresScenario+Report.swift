import BenchKit

/// The `scores` report: the feed (asked, stored, announced, per write), the
/// UDP stream (received, lost, repeated, reordered), the followers (lines,
/// and whether each got every event in order) and the chat probe.
///
/// Thread-safety: loop thread only (as `ScoresScenario`).
extension ScoresScenario {
    /// A counter of the server's status `scores` object, after minus before.
    private func serverDelta(_ key: String) -> Double {
        let after = (statusAfter["scores"] as? [String: Any])?[key] as? Int ?? 0
        let before = (statusBefore["scores"] as? [String: Any])?[key] as? Int ?? 0
        return Double(after - before)
    }

    func report() {
        guard let driver else { return }
        var m = harness.report.metrics
        let stored = driver.stored
        let last = 1 + Int64(stored)
        m["followers"] = Double(settings.followers)
        m["udpSubscribers"] = Double(receivers.count)
        m["intervalMillis"] = settings.intervalMillis
        m["consoleConnections"] = Double(links.count)

        // The feed.
        m["eventsAsked"] = Double(driver.total)
        m["eventsSent"] = Double(driver.sent)
        m["eventsStored"] = Double(stored)
        m["eventsRefused"] = Double(driver.refused)
        m["eventsStoredPerSecond"] = harness.perMeasuredSecond(stored)
        m["eventsAnnounced"] = serverDelta("eventsAnnounced")
        let writes = serverDelta("writes")
        m["serverWrites"] = writes
        if writes > 0 { m["eventsPerWrite"] = serverDelta("eventsAnnounced") / writes }
        m["feedBacklogMax"] = Double(driver.maxBacklog)
        m["storeP50Millis"] = driver.storeLatency.percentileMillis(50)
        m["storeP99Millis"] = driver.storeLatency.percentileMillis(99)
        if driver.sent < driver.total {
            harness.report.notes.append("\(driver.total - driver.sent) events were due but never sent (every console connection was waiting)")
        }
        if let refusal = driver.firstRefusal {
            harness.report.errors += driver.refused
            harness.report.notes.append("console refused \(driver.refused) events, first: \(refusal)")
        }
        if !driver.seqsAreGapFree(from: 2) {
            harness.report.errors += 1
            harness.report.notes.append("the seqs the console gave back are not 2…\(last) without a gap")
        }

        // The UDP stream.
        m["serverDatagramsSent"] = serverDelta("udpDatagramsSent")
        m["serverDatagramsDropped"] = serverDelta("udpDatagramsDropped")
        let inWindow = receivers.reduce(0) { $0 + $1.inWindow }
        m["datagramsReceived"] = Double(receivers.reduce(0) { $0 + $1.tally.received })
        m["datagramsPerSecond"] = harness.perMeasuredSecond(inWindow)
        let lost = receivers.reduce(0) { $0 + $1.tally.missing(through: last) }
        m["udpLost"] = Double(lost)
        m["udpLossPercent"] = receivers.isEmpty || stored == 0 ? 0 : 100 * Double(lost) / Double(receivers.count * stored)
        m["udpDuplicates"] = Double(receivers.reduce(0) { $0 + $1.tally.duplicates })
        m["udpReordered"] = Double(receivers.reduce(0) { $0 + $1.tally.reordered })
        m["udpUnreadable"] = Double(receivers.reduce(0) { $0 + $1.unreadable })

        // The followers: complete and in order, or the run fails.
        m["followerLines"] = Double(followerLines)
        m["followerLinesExpected"] = Double(settings.followers * stored)
        let missing = followerTallies.reduce(0) { $0 + $1.missing(through: last) }
        let disorder = followerTallies.reduce(0) { $0 + $1.duplicates + $1.reordered }
        m["followersComplete"] = Double(followerTallies.filter { $0.isClean(through: last) }.count)
        harness.report.gaps += UInt64(missing)
        harness.report.duplicates += UInt64(disorder)
        if missing > 0 { harness.report.notes.append("\(missing) follower lines never arrived") }
        if disorder > 0 { harness.report.notes.append("\(disorder) follower lines repeated or out of order") }

        // Chat meanwhile.
        if let probe {
            m["chatMessages"] = Double(probe.received)
            m["chatP50Millis"] = probe.latency.percentileMillis(50)
            m["chatP99Millis"] = probe.latency.percentileMillis(99)
            m["chatP999Millis"] = probe.latency.percentileMillis(99.9)
            m["chatMaxMillis"] = probe.latency.maxMillis
            harness.report.gaps += probe.checker.gaps + probe.checker.missing(sender: 0, sent: UInt64(probe.sent))
            harness.report.duplicates += probe.checker.duplicates
        }
        if let lag = statusAfter["loopLagMaxMillis"] as? Double { m["serverLoopLagMaxMillis"] = lag }
        harness.report.metrics = m
        harness.finish(failedIf: false)
    }
}
