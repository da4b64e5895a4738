@testable import ChatServer
import XCTest

/// Which reloaded values take effect, and the notes for the rest.
final class ReloadPlanTests: XCTestCase {
    func testRestartOnlyValuesKeepRunningAndAreNotedAgainstWhatRuns() {
        let running = ServerConfig()
        var edited = running
        edited.logLevel = "debug"
        edited.limits.sendQueueBytes = 2 << 20
        edited.limits.topicLength = 100
        edited.http.listen = ["127.0.0.1:9090"]
        edited.tlsListen = ["127.0.0.1:6697"]
        edited.scores.simulator = !running.scores.simulator
        let plan = ReloadPlan(running: running, read: edited)
        XCTAssertEqual(Set(plan.notes), ["logLevel changes on restart", "limits.sendQueueBytes changes on restart",
                                         "http.listen changes on restart", "TLS listen addresses change on restart",
                                         "scores settings change on restart"])
        XCTAssertEqual(plan.applied.limits.topicLength, 100, "a live limit applies now")
        XCTAssertEqual(plan.applied.logLevel, running.logLevel, "what runs is kept")
        XCTAssertEqual(plan.applied.limits.sendQueueBytes, running.limits.sendQueueBytes)
        XCTAssertEqual(plan.applied.http.listen, running.http.listen)
        XCTAssertEqual(plan.applied.scores, running.scores)

        // The file put back: it matches what runs, so nothing is noted.
        let back = ReloadPlan(running: plan.applied, read: running)
        XCTAssertEqual(back.notes, [])
        // Reloading the edited file again notes the same changes again (they still wait).
        XCTAssertEqual(Set(ReloadPlan(running: plan.applied, read: edited).notes), Set(plan.notes))
    }
}
