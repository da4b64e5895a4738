import BenchKit
import CoreLoop
import Foundation

/// The latency scenario while `logins` SASL PLAIN log-ins hash on the server
/// (chatd only: needs accounts). The accounts are registered first.
///
/// Thread-safety: loop thread only.
final class LoginStormScenario {
    let harness: BenchHarness
    let latency: LatencyScenario
    let logins: Int, accounts: Int
    private var succeeded = 0, failed = 0

    init(harness: BenchHarness, latency: LatencyScenario, logins: Int, accounts: Int) {
        self.harness = harness
        self.latency = latency
        self.logins = logins
        self.accounts = accounts
    }

    func start() {
        // Create the accounts (REGISTER), then run the latency scenario and
        // start the storm once its clock runs.
        var created = 0
        harness.connectMany(accounts, prefix: "acct") { [self] owners in
            for owner in owners {
                owner.onLine = { [self] c, line in
                    if line.contains("REGISTER SUCCESS") || line.contains("ACCOUNT_EXISTS") {
                        created += 1
                        c.close()
                        if created == accounts { startLatencyRun() }
                    } else if line.contains("FAIL REGISTER") {
                        harness.report.notes.append("account set-up failed: \(line)")
                        harness.finish(failedIf: true)
                    } else {
                        harness.countErrors(line)
                    }
                }
                owner.onClose = { _, _ in }
                owner.send("REGISTER * * :bench-password-\(owner.id)")
            }
        }
    }

    private func startLatencyRun() {
        latency.duringRun = { [self] in storm() }
        latency.start()
    }

    private func storm() {
        let payloads = (0..<accounts).map { Data("\0acct\($0)\0bench-password-\($0)".utf8).base64EncodedString() }
        for i in 0..<logins {
            let client = BenchClient(id: i, nick: "storm\(i)")
            var answered = false
            client.onLine = { [self] c, line in
                if IRCReply.isNumeric(line, "903") {
                    succeeded += 1
                    answered = true
                    c.close()
                } else if IRCReply.isNumeric(line, "904") {
                    failed += 1
                    answered = true
                    c.close()
                } else if line == "AUTHENTICATE +" {
                    c.send("AUTHENTICATE \(payloads[i % accounts])")
                } else {
                    harness.countErrors(line)
                }
            }
            client.onClose = { [self] _, _ in if !answered { harness.report.disconnects += 1 } }
            client.connect(loop: harness.loop, to: harness.address, tls: harness.tls, preamble: ["CAP REQ :sasl", "AUTHENTICATE PLAIN"]) { [self] _ in
                failed += 1
            }
        }
    }

    /// Called after the loop ends, to add the storm's own figures.
    func addFigures() {
        harness.report.metrics["loginsSucceeded"] = Double(succeeded)
        harness.report.metrics["loginsFailed"] = Double(failed)
        // The storm is meant to outlast the chat run: log-ins still being
        // hashed when it ends are reported, not counted as failures.
        let pending = logins - succeeded - failed
        harness.report.metrics["loginsPending"] = Double(pending)
        if pending > 0 { harness.report.notes.append("\(pending) log-ins still pending when the chat run ended") }
        harness.report.settle(broken: failed > 0)
    }
}
